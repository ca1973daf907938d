/**
 * Dense symmetric positive-definite algebra on row-major n×n Float64Arrays.
 *
 * The choice model never forms an explicit inverse on its hot path: every Newton step is a Cholesky
 * factorisation followed by two triangular solves, which is both cheaper and numerically safer.
 * All routines write into caller-owned buffers so the online update allocates nothing.
 */

/**
 * Factorises the symmetric matrix `a` (only its lower triangle is read) as L·Lᵀ, writing L into the lower
 * triangle of `l` with each diagonal entry stored as its reciprocal 1/Lᵢᵢ: the factorisation and both
 * triangular solves then multiply where they would divide, which at the learner's dozen parameters is a
 * good part of their cost. Only `choleskySolve` and `choleskyInverse` read `l`. Returns false, leaving `l`
 * partly written, when `a` is not positive definite.
 */
export function choleskyFactor(a: Float64Array, n: number, l: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j < i; j++) {
      const rowJ = j * n;
      let sum = a[rowI + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[rowI + k] as number) * (l[rowJ + k] as number);
      l[rowI + j] = sum * (l[rowJ + j] as number);
    }
    let sum = a[rowI + i] as number;
    for (let k = 0; k < i; k++) sum -= (l[rowI + k] as number) * (l[rowI + k] as number);
    // `!(sum > 0)` also rejects NaN, which a plain `sum <= 0` would let through.
    if (!(sum > 0)) return false;
    l[rowI + i] = 1 / Math.sqrt(sum);
  }
  return true;
}

/** Solves L·Lᵀ·x = b for x, given the factor from `choleskyFactor`. `x` may alias `b`. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[rowI + k] as number) * (x[k] as number);
    x[i] = sum * (l[rowI + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = x[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = sum * (l[i * n + i] as number);
  }
}

/**
 * The full inverse from a Cholesky factor, column by column. Only for read-outs (covariances and standard
 * errors), never inside an update.
 */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const inverse = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    column.fill(0);
    column[j] = 1;
    choleskySolve(l, n, column, column);
    for (let i = 0; i < n; i++) inverse[i * n + j] = column[i] as number;
  }
  return inverse;
}

/** Inverts a symmetric positive-definite matrix, or returns null when it is singular or indefinite. */
export function invertPositiveDefinite(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  return choleskyFactor(a, n, l) ? choleskyInverse(l, n) : null;
}

/** Copies the lower triangle onto the upper one, so that a matrix accumulated by halves is whole again. */
export function mirrorLowerTriangle(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j] as number;
  }
}
