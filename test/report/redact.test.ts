/**
 * Redaction keeps the record: secret values become <redacted>, while keys, token types and the
 * structure around them stay as they were. Every case asserts the whole text, not only that the
 * secret is gone.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { evidenceAttachments } from '../../src/report/attachments';
import { REDACTED, Redactor, redactTextPatterns } from '../../src/runbook/redact';

const OAUTH = {
  access_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLWFjY2Vzcw',
  token_type: 'Bearer',
  refresh_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWZyZXNoIn0.c2lnbmF0dXJlLXJlZnJlc2g',
  expires_in: 7200,
};

describe('redaction keeps the record', () => {
  test('an OAuth answer as YAML: token_type stays Bearer, refresh_token keeps its key, values go', () => {
    const r = new Redactor();
    assert.equal(
      r.text(stringify({ response: { status: 200, body: OAUTH } })),
      [
        'response:',
        '  status: 200',
        '  body:',
        `    access_token: ${REDACTED}`,
        '    token_type: Bearer',
        `    refresh_token: ${REDACTED}`,
        '    expires_in: 7200',
        '',
      ].join('\n'),
    );
  });

  test('the same answer as an object and as JSON text: every key, the token type, the number', () => {
    const r = new Redactor();
    assert.deepEqual(r.value(OAUTH), {
      access_token: REDACTED,
      token_type: 'Bearer',
      refresh_token: REDACTED,
      expires_in: 7200,
    });
    assert.equal(
      r.text(JSON.stringify(OAUTH)),
      `{"access_token":"${REDACTED}","token_type":"Bearer","refresh_token":"${REDACTED}","expires_in":7200}`,
    );
  });

  test('the HTTP attachment of a login, rendered and scrubbed as a step attaches it', () => {
    const r = new Redactor();
    r.addSecret(OAUTH.access_token);
    const [http] = evidenceAttachments([
      {
        kind: 'http',
        request: {
          method: 'POST',
          url: 'http://h/oauth/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=password&username=admin&password=P%4088w0rd&client_id=kubesphere&client_secret=kubesphere',
        },
        response: { status: 200, body: r.value(OAUTH) },
        durationMs: 4,
      },
    ]);
    const text = r.text(http!.body);
    assert.match(
      text,
      /^ {2}body: grant_type=password&username=admin&password=<redacted>&client_id=kubesphere&client_secret=<redacted>$/m,
    );
    assert.match(
      text,
      /^ {2}body:\n {4}access_token: <redacted>\n {4}token_type: Bearer\n {4}refresh_token: <redacted>\n {4}expires_in: 7200$/m,
    );
    assert.doesNotMatch(text, /eyJ/);
  });

  test('headers and free text: the scheme stays, the credential goes, the next line is untouched', () => {
    assert.equal(
      redactTextPatterns('authorization: Bearer abc.def.ghi\nnext: line'),
      `authorization: Bearer ${REDACTED}\nnext: line`,
    );
    assert.equal(
      redactTextPatterns('Authorization: Basic YWRtaW46cHc=, then more'),
      `Authorization: Basic ${REDACTED}, then more`,
    );
    assert.equal(redactTextPatterns('token_type: Bearer\n'), 'token_type: Bearer\n');
    assert.equal(
      redactTextPatterns('login failed for admin: password=hunter22 rejected'),
      `login failed for admin: password=${REDACTED} rejected`,
    );
  });

  test('already redacted text stays the same (redaction runs more than once on its way)', () => {
    const r = new Redactor();
    const once = r.text(stringify(OAUTH));
    assert.equal(r.text(once), once);
    assert.equal(
      once,
      `access_token: ${REDACTED}\ntoken_type: Bearer\nrefresh_token: ${REDACTED}\nexpires_in: 7200\n`,
    );
  });
});
