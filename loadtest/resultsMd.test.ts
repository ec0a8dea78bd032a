import assert from 'node:assert/strict';
import { withSection } from './resultsMd';

describe('RESULTS.md sections', () => {
  it('a run rewrites its own section and leaves the prose around it as it was', () => {
    const text = '# Measured results\n\nprose before\n<!-- bench:api:start -->\nold table\n<!-- bench:api:end -->\nprose after\n';
    assert.equal(withSection(text, 'api', 'Task API', 'new table'), '# Measured results\n\nprose before\n<!-- bench:api:start -->\nnew table\n<!-- bench:api:end -->\nprose after\n');
  });

  it('a section not there yet is appended under its heading', () => {
    assert.equal(withSection('# Measured results\n', 'chat', 'Chat', 'figures'), '# Measured results\n\n## Chat\n\n<!-- bench:chat:start -->\nfigures\n<!-- bench:chat:end -->\n');
  });
});
