/** A share in [0, 1] written out and drawn as a small bar, so a column can be scanned at a glance. */
export function MeterCell({ value, text }: { value: number | null; text: string }) {
  return (
    <span className="meter-cell">
      <span className="meter" aria-hidden="true">
        <span className="meter-fill" style={{ width: `${Math.round((value ?? 0) * 100)}%` }} />
      </span>
      <span className="meter-text">{text}</span>
    </span>
  );
}
