#!/usr/bin/env node
// introspection.mjs — the served schema, seen by a JavaScript client, against
// the API contract and the checked-in SDL.
//
// Usage: node tests/js/introspection.mjs <baseUrl> <contractPath[,extensionPath...]> <schemaPath>
//   (the core contract and the extensions implemented, comma-separated; they are
//   built as one document, so `extend type` adds to the core)
//   e.g. node tests/js/introspection.mjs http://127.0.0.1:8000 \
//          tests/contract/api-contract.graphql schema.graphql
//
// Checks, with graphql-js (the reference implementation, which GraphiQL,
// Apollo and most JS tooling build on):
//   1. the full introspection query (descriptions, specifiedByURL, repeatable
//      directives, schema description, deprecated input values) succeeds over
//      POST <baseUrl>/graphql without errors;
//   2. buildClientSchema accepts the result and assertValidSchema finds it valid;
//   3. the contract and the checked-in SDL both parse with buildSchema;
//   4. findBreakingChanges(contract, served schema) is empty: the server offers
//      at least everything the contract promises, with the same types (one
//      exactly listed difference in graphql-js's built-in @deprecated is only
//      noted: see TOLERATED_BUILTIN_DIFFERENCES);
//   5. findBreakingChanges(contract, checked-in SDL) is empty;
//   6. GET <baseUrl>/schema.graphql answers 200 with SDL that buildSchema accepts;
//   7. ... and that text equals the file at <schemaPath>;
//   8. the introspected schema, printed by graphql-js, equals <schemaPath>
//      printed by graphql-js: the file is exactly what clients introspect
//      (a test comparing the file with the server's own printer could not
//      see a difference between the two, such as a missing @specifiedBy).
// Why: the Rust tests compare the schema with the contract using the Rust
// parser; this does it the way JavaScript clients will see it, over the wire.
//
// Closing line: `N passed, M failed`; exit code 1 on any failure.

import { readFileSync } from 'node:fs';
import {
  assertValidSchema,
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  getIntrospectionQuery,
  printSchema,
} from 'graphql';

const results = [];

/** Records one check: prints PASS/FAIL with details, returns whether it passed. */
function check(name, ok, details = '') {
  results.push({ name, ok });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  if (!ok && details) console.log(indent(details));
  return ok;
}

/** Runs `fn`, turning a thrown error into a failed check. Returns fn's value or undefined. */
async function attempt(name, fn) {
  try {
    const value = await fn();
    check(name, true);
    return value;
  } catch (err) {
    check(name, false, describeError(err));
    return undefined;
  }
}

/** An error's message, with its cause (fetch puts ECONNREFUSED there); the stack for a bug. */
function describeError(err) {
  if (!(err instanceof Error)) return String(err);
  if (err.cause) return `${err.message} (cause: ${err.cause.message ?? err.cause})`;
  return err.constructor === Error ? err.message : err.stack;
}

function indent(text) {
  return String(text)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function parseArgs(argv) {
  const [baseUrl, contractPath, schemaPath] = argv.slice(2);
  if (!baseUrl || !contractPath || !schemaPath) {
    console.error('usage: node introspection.mjs <baseUrl> <contractPath> <schemaPath>');
    process.exit(2);
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), contractPath, schemaPath };
}

/** POSTs the full introspection query; returns its `data`, throwing on any error. */
async function introspect(baseUrl) {
  const query = getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
  });
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 2000)}`);
  const body = JSON.parse(text);
  if (body.errors?.length) throw new Error(`errors: ${JSON.stringify(body.errors, null, 2)}`);
  if (!body.data?.__schema) throw new Error(`no data.__schema in ${text.slice(0, 2000)}`);
  return body.data;
}

/** A schema from the introspection result, validated as graphql-js would before executing. */
function clientSchemaFrom(data) {
  const schema = buildClientSchema(data);
  assertValidSchema(schema);
  return schema;
}

// Differences in graphql-js's own built-in directives, not in anything the
// contract declares. buildSchema gives the contract graphql-js's built-ins;
// the served schema reports the server library's (async-graphql). graphql-js
// 16.15 follows the newer spec draft that allows @deprecated on directive
// definitions; async-graphql 7.2 does not, and the server has no custom
// directives to deprecate. Listed exactly, printed when seen, never failures.
const TOLERATED_BUILTIN_DIFFERENCES = new Set([
  'DIRECTIVE_LOCATION_REMOVED: DIRECTIVE_DEFINITION was removed from deprecated.',
]);

/** findBreakingChanges as a check: passes when the list is empty, prints it otherwise. */
function checkNoBreakingChanges(name, contract, schema) {
  if (!contract || !schema) return check(name, false, 'not run: a schema above could not be built');
  const changes = findBreakingChanges(contract, schema).map((c) => `${c.type}: ${c.description}`);
  const tolerated = changes.filter((c) => TOLERATED_BUILTIN_DIFFERENCES.has(c));
  const breaking = changes.filter((c) => !TOLERATED_BUILTIN_DIFFERENCES.has(c));
  for (const c of tolerated) console.log(`note: tolerated built-in directive difference: ${c}`);
  return check(`${name} (${breaking.length} breaking changes)`, breaking.length === 0, breaking.join('\n'));
}

/** GET /schema.graphql: returns the text, throwing unless it is a 200. */
async function fetchServedSdl(baseUrl) {
  const res = await fetch(`${baseUrl}/schema.graphql`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

/** The first line where two texts differ, for a readable failure. */
function firstDifference(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1}:\n  file:   ${JSON.stringify(a[i])}\n  served: ${JSON.stringify(b[i])}\n` +
        `(file ${expected.length} chars / ${a.length} lines, served ${actual.length} chars / ${b.length} lines)`;
    }
  }
  return 'the texts are equal';
}

async function main() {
  const { baseUrl, contractPath, schemaPath } = parseArgs(process.argv);
  console.log(`Introspection of ${baseUrl}/graphql against ${contractPath} and ${schemaPath}`);

  const data = await attempt('introspection query over POST /graphql succeeds', () => introspect(baseUrl));
  const clientSchema = data
    ? await attempt('buildClientSchema + assertValidSchema on the introspection result', () => clientSchemaFrom(data))
    : (check('buildClientSchema + assertValidSchema on the introspection result', false, 'not run: no introspection result'), undefined);

  const contract = await attempt(`contract ${contractPath} parses with buildSchema`, () =>
    buildSchema(contractPath.split(',').map((path) => readFileSync(path, 'utf8')).join('\n')),
  );
  const schemaFile = readFileSync(schemaPath, 'utf8');
  const sdlSchema = await attempt(`checked-in SDL ${schemaPath} parses with buildSchema`, () => buildSchema(schemaFile));

  if (clientSchema && sdlSchema) {
    const introspected = printSchema(clientSchema);
    const checkedIn = printSchema(sdlSchema);
    check(`the introspected schema is ${schemaPath} (both printed by graphql-js)`, introspected === checkedIn,
      firstDifference(checkedIn, introspected));
  } else {
    check(`the introspected schema is ${schemaPath} (both printed by graphql-js)`, false, 'not run: a schema above could not be built');
  }
  checkNoBreakingChanges('no breaking changes from the contract to the served schema', contract, clientSchema);
  checkNoBreakingChanges('no breaking changes from the contract to the checked-in SDL', contract, sdlSchema);

  const served = await attempt('GET /schema.graphql answers 200', () => fetchServedSdl(baseUrl));
  if (served === undefined) {
    check('GET /schema.graphql is SDL that buildSchema accepts', false, 'not run: no SDL served');
    check(`GET /schema.graphql equals ${schemaPath}`, false, 'not run: no SDL served');
  } else {
    await attempt('GET /schema.graphql is SDL that buildSchema accepts', () => buildSchema(served));
    check(`GET /schema.graphql equals ${schemaPath}`, served === schemaFile, firstDifference(schemaFile, served));
  }

  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
