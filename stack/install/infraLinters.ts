/**
 * The linters `npm run deploy:check` runs on terraform/ and .github/workflows/, pinned to versions
 * the Go module proxy serves (both go.mod files are free of replace lines, so `go install` works).
 */
import type { GoTool } from './goTool';

/** tflint with its bundled terraform ruleset only: nothing is downloaded at run time (terraform/.tflint.hcl). */
export const TFLINT: GoTool = { name: 'tflint', pkg: 'github.com/terraform-linters/tflint', version: 'v0.64.0', minGo: [1, 26, 3] };

export const ACTIONLINT: GoTool = { name: 'actionlint', pkg: 'github.com/rhysd/actionlint/cmd/actionlint', version: 'v1.7.12', minGo: [1, 25] };
