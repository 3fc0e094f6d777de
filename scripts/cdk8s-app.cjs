// The `app` of cdk8s.yaml: runs bin/cdk8s-app.ts from the TypeScript sources through jiti, no build
// needed. jiti's require mode (not its import mode) so that CommonJS dependencies keep their
// named exports.
require('jiti').createJiti(__filename)('../bin/cdk8s-app.ts');
