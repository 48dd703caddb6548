// jsforce interop probe for sfjwt's emulator (sfclient/sftest), driven by
// sfclient/sftest/sfcli_test.go (TestJSForce). It does what a Node integration built on
// jsforce does against a real org, with jsforce's own code paths:
//   1. signs a JWT bearer assertion with jsonwebtoken (RS256; iss, sub, aud, exp in seconds)
//      and logs in with conn.authorize({grant_type, assertion});
//   2. runs a query with autoFetch and a small batch size (Sforce-Query-Options), so jsforce
//      follows nextRecordsUrl across several pages;
//   3. reads /limits with conn.limits();
//   4. creates, retrieves, updates and destroys an Account through conn.sobject(), then reads
//      it once more to see the error code of a deleted record.
// Input comes from the environment (SFTEST_URL, SFTEST_CLIENT_ID, SFTEST_USERNAME,
// SFTEST_KEY_FILE, SFTEST_QUERY, SFTEST_BATCH_SIZE, SFTEST_API_VERSION); the result is one JSON
// object on stdout. Any failure prints {"error": ...} and exits 1. No secret is printed.
'use strict';

const fs = require('node:fs');
const jwt = require('jsonwebtoken');
const { Connection } = require('@jsforce/jsforce-node');

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`missing environment variable ${name}`);
  return v;
}

async function main() {
  const url = need('SFTEST_URL');
  const assertion = jwt.sign(
    { iss: need('SFTEST_CLIENT_ID'), sub: need('SFTEST_USERNAME'), aud: url },
    fs.readFileSync(need('SFTEST_KEY_FILE'), 'utf8'),
    { algorithm: 'RS256', expiresIn: 180 },
  );
  const conn = new Connection({ loginUrl: url, version: process.env.SFTEST_API_VERSION || undefined });
  const user = await conn.authorize({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion,
  });

  const pages = [];
  const query = conn.query(need('SFTEST_QUERY'), {
    autoFetch: true,
    maxFetch: 1000000,
    headers: { 'Sforce-Query-Options': `batchSize=${process.env.SFTEST_BATCH_SIZE || 2000}` },
  });
  query.on('fetch', () => pages.push(1));
  const res = await query;
  const limits = await conn.limits();
  const crud = await crudAccount(conn);

  process.stdout.write(JSON.stringify({
    orgId: user.organizationId,
    userId: user.id,
    instanceUrl: conn.instanceUrl,
    version: conn.version,
    totalSize: res.totalSize,
    done: res.done,
    fetched: res.records.length,
    pages: pages.length,
    first: res.records[0] || null,
    last: res.records[res.records.length - 1] || null,
    dailyApiRequests: limits.DailyApiRequests || null,
    limitInfo: conn.limitInfo || null,
    crud,
  }) + '\n');
}

async function crudAccount(conn) {
  const accounts = conn.sobject('Account');
  const created = await accounts.create({ Name: 'jsforce interop', Industry: 'Energy' });
  if (!created.success) throw new Error(`create failed: ${JSON.stringify(created.errors)}`);
  const fetched = await accounts.retrieve(created.id);
  const updated = await accounts.update({ Id: created.id, Industry: 'Retail' });
  const refetched = await accounts.retrieve(created.id);
  const destroyed = await accounts.destroy(created.id);
  let afterDelete = null;
  try {
    await accounts.retrieve(created.id);
  } catch (err) {
    afterDelete = err.errorCode || err.name;
  }
  return {
    idPrefix: created.id.slice(0, 3),
    idLength: created.id.length,
    name: fetched.Name,
    updated: updated.success,
    industry: refetched.Industry,
    destroyed: destroyed.success,
    afterDelete,
  };
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ error: `${err.name || 'Error'}: ${err.message}`, errorCode: err.errorCode || null }) + '\n');
  process.exit(1);
});
