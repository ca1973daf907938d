import { describe, expect, it } from 'vitest';
import { accumulateChoice, computeProbabilities, createLikelihoodWorkspace } from './likelihood';
import { mirrorLowerTriangle } from './linear-algebra';
import { type ChoiceModelSpec, type ChoiceObservation, parameterCount } from './specification';

// K = 2 factors, δ₂ and δ₃ (ranks ≥ 3 share δ₃), and α: θ = [β₁, β₂, δ₂, δ₃, α].
const spec: ChoiceModelSpec = { factorCount: 2, positionLevels: 3, noneOption: true };
const theta = Float64Array.from([1.5, 0.7, -0.4, -0.9, 0.3]);
const observation: ChoiceObservation = {
  options: [
    { factors: [0.2, 0.9], rank: 1 },
    { factors: [0.8, 0.1], rank: 2 },
    { factors: [0.5, 0.5], rank: 3 },
    { factors: [0.9, 0.9], rank: 7 },
  ],
  chosenIndex: 1,
  noneAvailable: true,
};

function logProbability(parameters: ArrayLike<number>, choice: ChoiceObservation): number {
  return accumulateChoice(parameters, spec, choice, 1, createLikelihoodWorkspace(spec), null, null);
}

function gradientAt(parameters: ArrayLike<number>, choice: ChoiceObservation): Float64Array {
  const gradient = new Float64Array(parameterCount(spec));
  accumulateChoice(parameters, spec, choice, 1, createLikelihoodWorkspace(spec), gradient, null);
  return gradient;
}

describe('the conditional-logit kernel', () => {
  it('computes softmax probabilities with position effects and none', () => {
    const workspace = createLikelihoodWorkspace(spec);
    computeProbabilities(theta, spec, observation, workspace);
    const utilities = [
      1.5 * 0.2 + 0.7 * 0.9,
      1.5 * 0.8 + 0.7 * 0.1 - 0.4,
      1.5 * 0.5 + 0.7 * 0.5 - 0.9,
      1.5 * 0.9 + 0.7 * 0.9 - 0.9,
      0.3,
    ];
    const total = utilities.reduce((sum, u) => sum + Math.exp(u), 0);
    utilities.forEach((u, a) => {
      expect(workspace.probabilities[a]).toBeCloseTo(Math.exp(u) / total, 14);
    });
    expect(logProbability(theta, observation)).toBeCloseTo(
      Math.log(Math.exp(utilities[1] as number) / total),
      14,
    );
  });

  it('stays finite for extreme utilities', () => {
    const decisive = Float64Array.from([5000, 0, 0, 0, -5000]);
    expect(Number.isFinite(logProbability(decisive, observation))).toBe(true);
    expect(logProbability(decisive, { ...observation, chosenIndex: 3 })).toBeCloseTo(0, 12);
  });

  it.each([1, null])('has the analytic gradient (chosen %s)', (chosenIndex) => {
    const choice = { ...observation, chosenIndex };
    const gradient = gradientAt(theta, choice);
    const h = 1e-6;
    for (let i = 0; i < theta.length; i++) {
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[i] = (up[i] as number) + h;
      down[i] = (down[i] as number) - h;
      const numeric = (logProbability(up, choice) - logProbability(down, choice)) / (2 * h);
      expect(gradient[i]).toBeCloseTo(numeric, 8);
    }
  });

  it('has the Fisher information equal to minus the Hessian', () => {
    const dimension = parameterCount(spec);
    const information = new Float64Array(dimension * dimension);
    accumulateChoice(theta, spec, observation, 1, createLikelihoodWorkspace(spec), null, information);
    mirrorLowerTriangle(information, dimension);
    const h = 1e-5;
    for (let j = 0; j < dimension; j++) {
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[j] = (up[j] as number) + h;
      down[j] = (down[j] as number) - h;
      const gradientUp = gradientAt(up, observation);
      const gradientDown = gradientAt(down, observation);
      for (let i = 0; i < dimension; i++) {
        const hessian = ((gradientUp[i] as number) - (gradientDown[i] as number)) / (2 * h);
        expect(information[i * dimension + j]).toBeCloseTo(-hessian, 7);
      }
    }
  });

  it('leaves none out when it is not on offer', () => {
    const workspace = createLikelihoodWorkspace(spec);
    computeProbabilities(theta, spec, { ...observation, noneAvailable: false }, workspace);
    const shown = Array.from(workspace.probabilities.slice(0, 4));
    expect(shown.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 14);
  });
});
