#!/usr/bin/env node
// audit.mjs — GraphQL over HTTP conformance of the Kangzhan server.
//
// Usage: node tests/js/audit.mjs <baseUrl>      e.g. http://127.0.0.1:8000
//
// Runs every server audit of graphql-http (the reference implementation of
// the GraphQL over HTTP specification) against <baseUrl>/graphql and prints
// one line per audit. The audits are named by the spec's requirement level:
//
//   MUST / SHOULD  the server has to pass them: any that is not ok fails the run
//                  (exit code 1) and is counted in the closing line;
//   MAY            optional behaviour: the README says which ones we do not
//                  pass (KNOWN_MAY_DEVIATIONS below, empty today); any other
//                  MAY that is not ok fails the run, so the README stays true.
//
// Why: clients (GraphiQL, Apollo, urql, graphql-request, ...) rely on the
// spec's status codes and media types; this catches a regression in the
// server's HTTP layer that the Rust tests might not think to look for.
//
// Closing line: `N passed, M failed` over all the audits, known MAY
// deviations counted as passed. The run also fails if graphql-http no longer
// has the 61 audits the README speaks of.

import { serverAudits } from 'graphql-http';

/** MAY audits the README lists as not passed, by id, with the reason. */
const KNOWN_MAY_DEVIATIONS = new Map();
const EXPECTED_AUDITS = 61;

/** The base URL from the command line, without a trailing slash. */
function parseArgs(argv) {
  const baseUrl = argv[2];
  if (!baseUrl) {
    console.error('usage: node audit.mjs <baseUrl>');
    process.exit(2);
  }
  return baseUrl.replace(/\/+$/, '');
}

/** 'MUST' | 'SHOULD' | 'MAY', from the first word of the audit's name. */
function requirementOf(audit) {
  return audit.name.split(' ', 1)[0];
}

/** Runs one audit; an audit that throws (a fatal error) counts as 'error'. */
async function runAudit(audit) {
  try {
    const result = await audit.fn();
    return { audit, status: result.status, reason: result.status === 'ok' ? '' : result.reason };
  } catch (err) {
    return { audit, status: 'error', reason: `audit threw: ${err?.stack ?? err}` };
  }
}

/** One line per audit: status, name, and the reason when it is not ok. */
function printResult({ audit, status, reason }) {
  const line = `${status.toUpperCase().padEnd(6)} ${audit.name}`;
  console.log(status === 'ok' ? line : `${line}\n         reason: ${reason}`);
}

async function main() {
  const baseUrl = parseArgs(process.argv);
  const url = `${baseUrl}/graphql`;
  console.log(`GraphQL over HTTP audit of ${url}`);

  const audits = serverAudits({ url, fetchFn: fetch });
  const results = [];
  // One at a time: the lines come out in the audits' own order, and a slow
  // CI machine is not flooded with concurrent requests.
  for (const audit of audits) {
    const result = await runAudit(audit);
    printResult(result);
    results.push(result);
  }

  const required = results.filter((r) => requirementOf(r.audit) !== 'MAY');
  const failedRequired = required.filter((r) => r.status !== 'ok');
  const failedMay = results.filter((r) => requirementOf(r.audit) === 'MAY' && r.status !== 'ok');

  console.log('');
  console.log(`${results.length} audits: ${required.length} MUST/SHOULD, ${results.length - required.length} MAY`);
  if (failedRequired.length > 0) {
    console.log('MUST/SHOULD audits not ok:');
    for (const r of failedRequired) console.log(`  - [${r.audit.id}] ${r.audit.name}: ${r.reason}`);
  }
  console.log(`MAY audits not ok (${failedMay.length}; reported, not failures):`);
  for (const r of failedMay) console.log(`  - [${r.audit.id}] ${r.audit.name}: ${r.reason}`);

  const unlisted = failedMay.filter((r) => !KNOWN_MAY_DEVIATIONS.has(r.audit.id));
  for (const r of unlisted) console.log(`  MAY not ok and not listed in the README: [${r.audit.id}] ${r.audit.name}`);
  const wrongCount = results.length !== EXPECTED_AUDITS;
  if (wrongCount) console.log(`expected ${EXPECTED_AUDITS} audits, graphql-http ran ${results.length}`);

  const failed = failedRequired.length + unlisted.length + (wrongCount ? 1 : 0);
  console.log(`${results.length - failedRequired.length - unlisted.length} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
