import { ChoiceEvaluationError, type ChoiceModelEvaluation, evaluateChoiceModel } from '@matchloop/learning';
import { Command } from 'commander';
import { formatTable } from '../text-table';
import { UserInputError } from '../user-input-error';
import { readChoiceCsvFile } from './choice-csv-file';

interface EvaluateOptions {
  readonly input: string;
  readonly test?: string;
  readonly json?: boolean;
  readonly positionEffects?: boolean;
}

export const evaluateCommand = new Command('evaluate')
  .description('Fit the choice model to a choice-log CSV and score it on held-out sessions (no database)')
  .requiredOption(
    '--input <file>',
    'training choices: session_id,customer_id,manufacturer_id,rank,chosen, then one column per factor',
  )
  .option('--test <file>', 'held-out choices in the same format, scored with the batch fit')
  .option(
    '--position-effects',
    'also fit position effects for ranks 2..5; off by default, as published studies show options in no ' +
      'meaningful order and their reference fits have none',
  )
  .option('--json', 'print one JSON object (standard errors that the data cannot identify are null)')
  .action((options: EvaluateOptions) => {
    const evaluation = evaluate(options);
    console.log(
      options.json ? JSON.stringify(evaluationJson(evaluation)) : formatReport(evaluation, options),
    );
    if (!evaluation.batch.converged) {
      console.error('matchloop: warning: the batch fit stopped before converging; treat it with care');
    }
  });

function evaluate(options: EvaluateOptions): ChoiceModelEvaluation {
  const train = readChoiceCsvFile(options.input);
  const test = options.test === undefined ? null : readChoiceCsvFile(options.test);
  try {
    return evaluateChoiceModel(train, test, { positionEffects: options.positionEffects ?? false });
  } catch (error) {
    if (error instanceof ChoiceEvaluationError) throw new UserInputError(error.message);
    throw error;
  }
}

/** The documented `--json` shape; NaN standard errors become null, as JSON has no NaN. */
function evaluationJson({ factorNames, batch, online, test }: ChoiceModelEvaluation) {
  const byFactor = (values: ArrayLike<number>) =>
    Object.fromEntries(factorNames.map((name, k) => [name, values[k] as number]));
  return {
    weights: byFactor(batch.summary.weights),
    standardErrors: byFactor(batch.summary.standardErrors),
    scale: batch.summary.scale,
    trainLogLikelihood: batch.trainLogLikelihood,
    nullLogLikelihood: batch.nullLogLikelihood,
    online: { weights: byFactor(online.summary.weights), trainLogLikelihood: online.trainLogLikelihood },
    ...(test !== null && {
      test: {
        sessions: test.sessions,
        meanLogLikelihood: test.meanLogLikelihood,
        top1: test.top1,
        mrr: test.mrr,
      },
    }),
  };
}

function formatReport(evaluation: ChoiceModelEvaluation, options: EvaluateOptions): string {
  const { factorNames, spec, trainSessions, batch, online, test } = evaluation;
  const sections: string[] = [];

  const model = [
    `${spec.factorCount} factors`,
    spec.noneOption ? 'none option (some session chose nothing)' : 'forced choice (no none option)',
    spec.positionLevels > 1 ? `position effects for ranks 2..${spec.positionLevels}` : 'no position effects',
  ];
  sections.push(`Trained on ${trainSessions} sessions of ${options.input}\nModel: ${model.join(', ')}`);

  sections.push(
    formatTable([
      ['factor', 'weight', 's.e.', 'β', 's.e.(β)', 'online weight'],
      ...factorNames.map((name, k) => [
        name,
        fixed(batch.summary.weights[k], 4),
        fixed(batch.summary.standardErrors[k], 4),
        fixed(batch.summary.beta[k], 4),
        fixed(batch.summary.betaStandardErrors[k], 4),
        fixed(online.summary.weights[k], 4),
      ]),
    ]),
  );

  // δ_R also covers every deeper rank, hence the "+" on the last level.
  const positionRows = Array.from(batch.summary.positionEffects, (effect, level) => [
    `δ rank ${level + 2}${level + 2 === spec.positionLevels ? '+' : ''}`,
    fixed(effect, 4),
    fixed(online.summary.positionEffects[level], 4),
  ]);
  sections.push(
    formatTable([
      ['parameter', 'batch', 'online'],
      ['scale λ = Σβ', fixed(batch.summary.scale, 4), fixed(online.summary.scale, 4)],
      ...positionRows,
      ...(batch.summary.noneConstant === null
        ? []
        : [['α (none)', fixed(batch.summary.noneConstant, 4), fixed(online.summary.noneConstant, 4)]]),
    ]),
  );

  const perSession = (logLikelihood: number) => fixed(logLikelihood / trainSessions, 4);
  sections.push(
    formatTable([
      ['train log-likelihood', 'total', 'per session'],
      ['batch fit', fixed(batch.trainLogLikelihood, 3), perSession(batch.trainLogLikelihood)],
      ['online pass', fixed(online.trainLogLikelihood, 3), perSession(online.trainLogLikelihood)],
      ['null (all equally likely)', fixed(batch.nullLogLikelihood, 3), perSession(batch.nullLogLikelihood)],
    ]) +
      // McFadden's ρ², the share of the null log-likelihood the model explains: the usual fit summary.
      `\nMcFadden ρ² = ${fixed(1 - batch.trainLogLikelihood / batch.nullLogLikelihood, 4)}`,
  );

  if (test !== null) {
    sections.push(
      `Held out: ${test.sessions} sessions of ${options.test}, scored with the batch fit\n` +
        formatTable([
          ['mean log-likelihood per session', fixed(test.meanLogLikelihood, 4)],
          ['top-1 hit rate', fixed(test.top1, 4)],
          ['mean reciprocal rank', fixed(test.mrr, 4)],
        ]),
    );
  }
  return sections.join('\n\n');
}

/** Missing or unidentified (NaN) values print as n/a. */
function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}
