// The shape of the validator's test cases: a scenario document and the exact lines it gives.

export interface ValidatorCase {
  /** What the case shows, as a test title. */
  name: string;
  json: unknown;
  /** Every line validateScenario gives (with the fixtures' SOURCE). */
  errors: string[];
}

export const below = (min: number) => `is below the minimum of ${min} cycles (${min / 100} µs at 100 MHz)`;

/** The cases of one topic, several documents under one rule numbered after the first. */
export function topic(list: [string, ...[unknown, string[]][]][]): ValidatorCase[] {
  return list.flatMap(([name, ...documents]) =>
    documents.map(([json, errors], i) => ({ name: documents.length === 1 ? name : `${name} (${i + 1})`, json, errors })),
  );
}

