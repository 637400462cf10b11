import './workers.js';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import 'graphiql/style.css';
import './playground.css';

// The tabs GraphiQL opens with on a first visit (no saved tabs in
// localStorage): the server's examples, or this if they cannot be had.
const FALLBACK_TABS = [{ query: '{ battles(first: 5) { nodes { name nameEn } } }\n' }];

async function loadExampleTabs() {
  try {
    const response = await fetch('/playground/examples.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) return FALLBACK_TABS;
    const tabs = await response.json();
    return Array.isArray(tabs) && tabs.length > 0 ? tabs : FALLBACK_TABS;
  } catch {
    return FALLBACK_TABS;
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
const defaultTabs = await loadExampleTabs();

createRoot(container).render(
  createElement(
    GraphiQL,
    {
      fetcher,
      defaultTabs,
      defaultQuery: defaultTabs[0].query,
      plugins: [HISTORY_PLUGIN],
      defaultEditorToolsVisibility: false,
    },
    createElement(GraphiQL.Logo, null, 'Kangzhan GraphiQL'),
  ),
);
