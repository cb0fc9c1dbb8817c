import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** Validates a report against schema/report.schema.json; returns the errors as readable lines. */
export function reportSchemaErrors(report: unknown): string[] {
  const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../schema/report.schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const validate = ajv.compile(schema);
  return validate(report) ? [] : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message ?? ''}`);
}
