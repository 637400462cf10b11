#!/usr/bin/env python3
"""Writes the seed inputs of both targets into fuzz/seeds/<target>/.

The seeds are only where the fuzzer starts: `cargo fuzz run` grows a working
corpus from them (fuzz/corpus-work/, not committed) and `cargo fuzz cmin`
keeps what adds coverage in fuzz/corpus/<target>/ (committed).
Run from anywhere: python3 fuzz/seeds/make_seeds.py
"""
import base64, hashlib, json, os, urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))

# tests/api/fuzz.rs SEEDS
SEEDS = [
    '{ battles(first: 5, orderBy: START_DESC) { totalCount edges { cursor node { name start { text earliest } } } pageInfo { endCursor } } }',
    'query($id: ID!) { node(id: $id) { id ... on Battle { name sides { strength { value text } } } ... on Commander { name } } }',
    '{ commanders(filter: { nameContains: "岳" }) { nodes { name battles { name forces { name parent { name } } } } } }',
    '{ search(text: "军", first: 10) { __typename ... on Force { name kind subordinates { name } } } }',
    '{ belligerents { name forces { name } } phases { name battles { ordinal } } }',
    'query Q($d: Date) { battles(filter: { activeOn: $d }) { nodes { name commands { role killedInAction force { name } } } } }',
    '{ ...F } fragment F on Query { forces(last: 3, filter: { kind: DIVISION }) { nodes { name battles { name } } } }',
]

def bomb(levels, spreads=2):
    frags = ['fragment F%d on Query { ...F%d %s }' % (i, i + 1, ' '.join('...F%d' % (i + 1) for _ in range(spreads - 1))) for i in range(levels)]
    frags.append('fragment F%d on Query { __typename }' % levels)
    return '{ ...F0 } ' + ' '.join(frags)

def nested(depth, field='parent', leaf='name'):
    return '{ forces(first: 1) { nodes { ' + (field + ' { ') * depth + leaf + ' }' * depth + ' } } }'

DOCUMENTS = SEEDS + [
    '{ battles(first: 3) { nodes { name } } }',
    '{ battle(ordinal: 1) { id name nameEn phase { name } start { text earliest latest precision } end { text } outcome narrative } }',
    '{ nodes(ids: ["QmF0dGxlOjE=", "Q29tbWFuZGVyOjE=", "Rm9yY2U6MQ==", "UGhhc2U6MQ==", "QmVsbGlnZXJlbnQ6MQ==", "bad"]) { id __typename } }',
    '{ battles(last: 2, before: "x", filter: { from: "1937-07-07", to: "1938-12-31", nameContains: "会战" }) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { ordinal } } }',
    '{ battles(first: 2, after: "QmF0dGxlOjE=") { edges { cursor } } }',
    '{ battles { nodes { sides { belligerent { name } strength { value text qualifier } casualties { value text qualifier } } } } }',
    '{ forces(filter: { kind: ARMY_GROUP }) { totalCount nodes { name kind parent { name } subordinates { name battles { name } } } } }',
    'mutation { __typename }',
    'subscription { __typename }',
    'query A { a: __typename } query B { b: __typename }',
    '{ ' + ' '.join('a%d: __typename' % i for i in range(31)) + ' }',
    '{ ' + ' '.join('__typename @skip(if: false)' for _ in range(51)) + ' }',
    '{ ' + ' '.join('f%d: battles(first: 1) { totalCount }' % i for i in range(21)) + ' }',
    '{ battles @include(if: true) { nodes @skip(if: false) { name @deprecated } } }',
    'query Q($b: Boolean = true, $n: Int = 3) @dir { battles(first: $n) @include(if: $b) { ... @skip(if: $b) { totalCount } } }',
    nested(11), nested(13), nested(70),
    bomb(12), bomb(30, 3), bomb(3),
    '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
    '{ ...A } fragment A on Query { ...A }',
    '{ ...Missing }',
    '{ __schema { types { name fields { name args { name type { name ofType { name ofType { name } } } } } } } }',
    '{ __schema { types { fields { args { type { fields { name } } } } } } }',
    '{ __type(name: "Battle") { name fields { name } interfaces { name possibleTypes { name } } } }',
    '{ ... on Query { __schema { queryType { name } } } }',
    '{ ...I } fragment I on Query { __schema { types { name } } }',
    '{ search(text: "") { __typename } }',
    '{ battles(first: 100) { nodes { forces { battles { forces { battles { name } } } } } } }',
    '{ battles(first: -1) { totalCount } }',
    '{ battles(first: 2147483648) { totalCount } }',
    '{ node(id: "QmF0dGxlOjA=") { id } }',
    '{ node(id: "QmF0dGxlOjAx") { id } }',
    '{ node(id: "Rm9vOjE=") { id } }',
    '{ phases { battles { ordinal } } belligerents { forces { kind } } }',
    'query ($d: Date!) { battles(filter: { activeOn: $d }) { totalCount } }',
    '{ battles(filter: { activeOn: "1937-02-30" }) { totalCount } }',
    '{ battles(orderBy: NOPE) { totalCount } }',
    '{ nope }',
    '{',
    '',
    '{ battles(first: 1) { nodes { name } } } # comment',
    '{ a: battles(first: 1) { totalCount } a: commanders(first: 1) { totalCount } }',
    '{ battles(filter: { phaseId: "UGhhc2U6MQ==", belligerentId: "QmVsbGlnZXJlbnQ6MQ==", commanderId: "Q29tbWFuZGVyOjE=", forceId: "Rm9yY2U6MQ==" }) { totalCount } }',
    '{ battles(filter: { phaseId: "QmF0dGxlOjE=" }) { totalCount } }',
    'query Q($v: [[[[Int]]]] = [[[[1]]]]) { __typename }',
    '{ battles(first: 1) { nodes { name ...on Battle { ...on Battle { ...on Node { id } } } } } }',
]

def sha(query):
    return hashlib.sha256(query.encode()).hexdigest()

Q = '{ battles(first: 3) { nodes { name } } }'
BODIES = [json.dumps({'query': d}, ensure_ascii=False) for d in DOCUMENTS[:20]] + [
    json.dumps({'query': Q}),
    json.dumps({'query': 'query($id: ID!) { node(id: $id) { id } }', 'variables': {'id': 'QmF0dGxlOjE='}}),
    json.dumps({'query': 'query($id: ID!) { node(id: $id) { id } }', 'variables': {}}),
    json.dumps({'query': 'query($id: ID!) { node(id: $id) { id } }', 'variables': {'id': None}}),
    json.dumps({'query': 'query($n: Int) { battles(first: $n) { totalCount } }', 'variables': {'n': 1e300}}),
    json.dumps({'query': 'query($f: BattleFilter) { battles(filter: $f) { totalCount } }', 'variables': {'f': {'activeOn': '1938-01-01', 'nope': 1}}}),
    json.dumps({'query': 'query A { __typename } query B { battles { totalCount } }', 'operationName': 'B'}),
    json.dumps({'query': 'query A { __typename } query B { battles { totalCount } }'}),
    json.dumps({'query': 'query A { __typename }', 'operationName': 'C'}),
    json.dumps({'query': Q, 'operationName': None, 'variables': None, 'extensions': {}}),
    json.dumps({'query': Q, 'extensions': {'persistedQuery': {'version': 1, 'sha256Hash': sha(Q)}}}),
    json.dumps({'extensions': {'persistedQuery': {'version': 1, 'sha256Hash': sha(Q)}}}),
    json.dumps({'extensions': {'persistedQuery': {'version': 1, 'sha256Hash': '0' * 64}}}),
    json.dumps({'query': Q, 'extensions': {'persistedQuery': {'version': 2, 'sha256Hash': sha(Q)}}}),
    json.dumps({'query': Q, 'extensions': {'persistedQuery': {'version': 1, 'sha256Hash': 'abc'}}}),
    json.dumps({'query': Q, 'extensions': {'persistedQuery': 'x'}}),
    json.dumps([{'query': Q}, {'query': '{ __typename }'}]),
    json.dumps([{'query': Q}] * 5),
    json.dumps([]),
    json.dumps([{'query': Q}, 3]),
    json.dumps({'query': 'mutation { __typename }'}),
    json.dumps({'query': Q, 'variables': [1]}),
    json.dumps({'query': 7}),
    json.dumps({'query': Q, 'unknown': 1}),
    json.dumps({}),
    'null', '"x"', '{"query":', '{"query": "{ battles(first: 3) { nodes { name } } }"', '\x00\xff',
    '{"query":"\\ud800"}',
    json.dumps({'query': bomb(20)}),
    json.dumps({'query': nested(40)}),
]
GETS = [
    'query=' + Q,
    'query=' + urllib.parse.quote(Q),
    'query=query($id: ID!) { node(id: $id) { id } }&variables={"id":"QmF0dGxlOjE="}',
    'query=query A { __typename } query B { battles { totalCount } }&operationName=B',
    'query=mutation { __typename }',
    'extensions=' + json.dumps({'persistedQuery': {'version': 1, 'sha256Hash': sha(Q)}}),
    'query=' + Q + '&extensions=' + json.dumps({'persistedQuery': {'version': 1, 'sha256Hash': sha(Q)}}),
    'query=' + Q + '&variables=[1]',
    'query=' + Q + '&variables=nope',
    'query=%ff%fe',
    'query=%zz',
    'query=a&query=b',
    'nope=1',
    'query={+__typename+}',
    '',
]

def write(target, items):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    for name in os.listdir(d):
        os.remove(os.path.join(d, name))
    for i, item in enumerate(items):
        data = item if isinstance(item, bytes) else item.encode('utf-8', 'surrogatepass')
        with open(os.path.join(d, 'seed-%03d' % i), 'wb') as f:
            f.write(data)

write('limits', DOCUMENTS)
# pipeline: byte 0 = bit 0 GET, bits 1-3 Content-Type, bits 4-6 Accept, bit 7 X-Request-ID.
items = []
for i, b in enumerate(BODIES):
    flags = [0x00, 0x20, 0x30, 0x02, 0x08, 0x0a, 0x0e, 0x50][i % 8] if i >= 2 else 0x00
    items.append(bytes([flags]) + b.encode('utf-8', 'surrogatepass'))
for i, q in enumerate(GETS):
    flags = [0x01, 0x21, 0x31, 0x81, 0x51][i % 5]
    items.append(bytes([flags]) + q.encode('utf-8'))
write('pipeline', items)
print(len(DOCUMENTS), 'limits seeds,', len(items), 'pipeline seeds')
