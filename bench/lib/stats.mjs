// Order statistics for noisy timings: medians and percentiles, never means alone.

/** Quantile of an ascending array, linear interpolation between closest ranks (R type 7). */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** `steps + 1` evenly spaced quantiles (q = 0 … 1) of a sample: its distribution in a fixed size. */
export function quantiles(values, steps) {
  const s = [...values].sort((a, b) => a - b);
  return Array.from({ length: steps + 1 }, (_, i) => quantile(s, i / steps));
}

/** Median, p10/p90, quartiles, min/max and mean of a sample. */
export function summarize(values) {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((acc, v) => acc + v, 0) / (s.length || 1);
  return {
    n: s.length,
    median: quantile(s, 0.5),
    p10: quantile(s, 0.1),
    p25: quantile(s, 0.25),
    p75: quantile(s, 0.75),
    p90: quantile(s, 0.9),
    p99: quantile(s, 0.99),
    min: s[0],
    max: s[s.length - 1],
    mean,
  };
}

/** Least squares y = a + b x, with the coefficient of determination. */
export function linearFit(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, v) => a + v, 0) / n;
  const my = ys.reduce((a, v) => a + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { intercept, slope, r2 };
}

export function round(value, digits = 2) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
