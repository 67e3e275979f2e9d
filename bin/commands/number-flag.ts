import { InvalidArgumentError } from 'commander';

/** A commander parser for a numeric flag: a bad value is one line naming the allowed range. */
export function numberFlag(options: { min?: number; max?: number; integer?: boolean } = {}) {
  return (raw: string): number => {
    const value = Number(raw);
    const bad =
      raw.trim() === '' ||
      !Number.isFinite(value) ||
      (options.integer === true && !Number.isInteger(value)) ||
      (options.min !== undefined && value < options.min) ||
      (options.max !== undefined && value > options.max);
    if (bad) {
      const range =
        options.min !== undefined || options.max !== undefined
          ? ` between ${options.min ?? '-∞'} and ${options.max ?? '∞'}`
          : '';
      throw new InvalidArgumentError(`expected ${options.integer ? 'an integer' : 'a number'}${range}.`);
    }
    return value;
  };
}
