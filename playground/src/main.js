import './workers.js';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import 'graphiql/style.css';
import './playground.css';

// What the first tab holds on a first visit (no saved tabs in localStorage):
// the server's example query, or this if it cannot be had.
const FALLBACK_QUERY = '{ battles(first: 5) { nodes { name nameEn } } }\n';

async function loadExampleQuery() {
  try {
    const response = await fetch('/playground/example.graphql', {
      headers: { Accept: 'application/graphql, text/plain' },
    });
    if (!response.ok) return FALLBACK_QUERY;
    const text = await response.text();
    return text.trim() ? text : FALLBACK_QUERY;
  } catch {
    return FALLBACK_QUERY;
  }
}

// POST to /graphql on this origin. Errors of the HTTP layer (413, 415, a
// server that is down) are shown in the response pane as GraphQL errors.
async function fetcher(graphQLParams, options) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        Accept: 'application/graphql-response+json, application/json',
        ...(options && options.headers),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(graphQLParams),
      credentials: 'same-origin',
    });
  } catch (error) {
    return { errors: [{ message: `Could not reach /graphql: ${error.message}` }] };
  }
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return {
      errors: [{ message: `HTTP ${response.status} ${response.statusText}: ${text.slice(0, 500)}` }],
    };
  }
}

const container = document.getElementById('graphiql');
const defaultQuery = await loadExampleQuery();

createRoot(container).render(
  createElement(
    GraphiQL,
    {
      fetcher,
      defaultQuery,
      plugins: [HISTORY_PLUGIN],
      defaultEditorToolsVisibility: false,
    },
    createElement(GraphiQL.Logo, null, 'Kangzhan GraphiQL'),
  ),
);
