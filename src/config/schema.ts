import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Level, Severity } from '../types.js';
import { LEVELS } from '../types.js';
import { defaultWeights, type Weights } from '../risk/weights.js';
import { formatPath, suggest } from './describe.js';

/** Nested optional copy of a table, for overrides. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends number ? number : DeepPartial<T[K]> };

/** The contents of `reldiff.config.json` after validation. */
export interface ReldiffConfig {
  ignore?: { packages?: string[]; paths?: string[] };
  rules?: Record<string, 'off' | Severity>;
  weights?: DeepPartial<Weights>;
  levels?: { medium?: number; high?: number; critical?: number };
  lockfiles?: { include?: string[]; exclude?: string[] };
  failOn?: Level | 'none';
}

export interface ConfigValidation {
  /** Undefined when there is any error. */
  config: ReldiffConfig | undefined;
  warnings: string[];
  errors: string[];
}

export interface ValidateOptions {
  /** Known rule ids; unknown ones in `rules` become warnings. */
  ruleIds?: readonly string[];
}

type JsonSchema = Record<string, unknown>;

const globList: JsonSchema = { type: 'array', items: { type: 'string', minLength: 1 } };
const score: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };

/** The weights schema follows the table itself, so a new weight is configurable without touching this file. */
function tableSchema(table: object, openKeys: ReadonlySet<string>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'number') properties[key] = { type: 'number', minimum: 0 };
    else if (openKeys.has(key)) properties[key] = { type: 'object', additionalProperties: { type: 'number', minimum: 0 } };
    else if (value !== null && typeof value === 'object') properties[key] = tableSchema(value, openKeys);
  }
  return { type: 'object', properties, additionalProperties: false };
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    ignore: { type: 'object', additionalProperties: false, properties: { packages: globList, paths: globList } },
    rules: {
      type: 'object',
      propertyNames: { pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
      additionalProperties: { type: 'string', enum: ['off', ...LEVELS] },
    },
    weights: tableSchema(defaultWeights, new Set(['signals'])),
    levels: { type: 'object', additionalProperties: false, properties: { medium: score, high: score, critical: score } },
    lockfiles: { type: 'object', additionalProperties: false, properties: { include: globList, exclude: globList } },
    failOn: { type: 'string', enum: ['none', ...LEVELS] },
  },
};

// Compiled on first use: compiling takes ~150 ms, and most runs have no config file to validate.
let validate: ValidateFunction | undefined;

/** Validates parsed JSON; every problem is reported at once, each with its path. Pure. */
export function validateConfig(json: unknown, options: ValidateOptions = {}): ConfigValidation {
  validate ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(configSchema);
  const errors = validate(json) ? [] : describeErrors(validate.errors ?? []);
  if (errors.length > 0) return { config: undefined, warnings: [], errors };
  const config = json as ReldiffConfig;
  const warnings: string[] = [];
  checkLevelOrder(config, errors);
  checkRuleIds(config, options.ruleIds, warnings);
  checkDoubleLevels(config, warnings);
  return errors.length > 0 ? { config: undefined, warnings, errors } : { config, warnings, errors };
}

function describeErrors(list: readonly ErrorObject[]): string[] {
  // One message per problem: ajv may report a type and an enum failure for the same value.
  const seen = new Set<string>();
  const out: string[] = [];
  for (const error of list) {
    const message = describeError(error);
    if (message === undefined) continue;
    const key = error.keyword === 'additionalProperties' ? message : error.instancePath;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(message);
  }
  return out.sort();
}

function describeError(error: ErrorObject): string | undefined {
  const path = formatPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys((error.parentSchema?.['properties'] ?? {}) as object);
      const hint = suggest(key, allowed);
      const at = formatPath(`${error.instancePath}/${key}`);
      return `${at}: unknown key "${key}"${hint ? `; did you mean "${hint}"?` : ''}${allowed.length > 0 && !hint ? ` (allowed: ${allowed.join(', ')})` : ''}`;
    }
    case 'type':
      return `${path}: expected ${String(params['type'])}, got ${describeValue(error.data)}`;
    case 'enum':
      return `${path}: must be one of ${(params['allowedValues'] as unknown[]).map(v => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(error.data)}`;
    case 'minimum':
    case 'maximum':
      return `${path}: must be ${error.keyword === 'minimum' ? '>=' : '<='} ${String(params['limit'])}, got ${JSON.stringify(error.data)}`;
    case 'minLength':
      return `${path}: must not be empty`;
    case 'propertyNames':
      return undefined; // the nested 'pattern' error names the key
    case 'pattern':
      return `${path}: rule id "${String(error.data)}" is not a kebab-case rule id`;
    default:
      return `${path}: ${error.message ?? 'is invalid'}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${String(value)}`;
}

function checkLevelOrder(config: ReldiffConfig, errors: string[]): void {
  const merged = { ...defaultWeights.levels, ...config.weights?.levels, ...config.levels };
  if (!(merged.medium < merged.high && merged.high < merged.critical)) {
    errors.push(`levels: thresholds must rise: medium (${merged.medium}) < high (${merged.high}) < critical (${merged.critical})`);
  }
}

function checkRuleIds(config: ReldiffConfig, ruleIds: readonly string[] | undefined, warnings: string[]): void {
  if (!ruleIds || !config.rules) return;
  const known = new Set(ruleIds);
  for (const id of Object.keys(config.rules).sort()) {
    if (known.has(id)) continue;
    const hint = suggest(id, ruleIds);
    warnings.push(`rules.${id}: unknown rule${hint ? `; did you mean "${hint}"?` : ''}`);
  }
}

function checkDoubleLevels(config: ReldiffConfig, warnings: string[]): void {
  if (config.levels && config.weights?.levels) {
    warnings.push('weights.levels: also set by "levels", which wins; keep one of them');
  }
}
