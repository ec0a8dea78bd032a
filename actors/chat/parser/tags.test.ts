import assert from 'node:assert/strict';
import { HOLE } from './normalize';
import { extractTags } from './tags';

describe('tags', () => {
  it('takes #words out of the text, lower-cased, without duplicates or trailing dots', () => {
    const r = extractTags('buy milk #Errands #home-office #errands #work.');
    assert.deepEqual(r.tags, ['errands', 'home-office', 'work']);
    assert.equal(r.work.split(HOLE).join('').trim(), 'buy milk');
  });

  it('does not take a # inside a word or a URL', () => {
    assert.deepEqual(extractTags('learn C# from site.com/#top').tags, []);
  });

  it('keeps tags the API accepts: no spaces, commas or #', () => {
    for (const tag of extractTags('#a,b #ümlaut #日本 #x/y ##z').tags) assert.match(tag, /^[^\s,#]{1,100}$/u);
  });
});
