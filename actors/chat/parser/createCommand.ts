/**
 * The words that introduce a new task, and what they leave:
 *   add|create|put|schedule [a|an|the|another] [new] [task|todo|item|entry] [to|for|called|:] X [to|on my list]
 *   new task|todo: X      todo: X      task: X      jot|note|write down X
 *   remember to X, don't forget to X, I need|have|must|should|want to X, need|have to X, gotta X
 */

const COMMAND = new RegExp(
  '^(?:' +
    "(?:add|create|put|schedule|jot down|note down|write down|set up)(?: (?:a|an|the|one|another))?(?: new)?(?: (?:task|todo|to-do|to do|item|entry))?(?: (?:to|for|that|called|named|titled|saying))?|" +
    'new (?:task|todo|to-do|item|entry)(?: (?:to|for|called|named|titled))?|' +
    '(?:todo|to-do|to do|task)(?= ?:)|' +
    "remember to|don't forget to|dont forget to|do not forget to|" +
    "(?:i|we) (?:need|have|must|should|want|gotta|got|ought) to|(?:i|we) (?:must|should|gotta)|i'd like to|i wanna|(?:i|we)'ve got to|need to|have to|gotta|must" +
    ')(?![\\p{L}\\p{N}]) ?:? ?',
  'iu',
);
const ON_MY_LIST = / (?:to|on|onto|in|into) (?:my|the) (?:todo |to-do |to do |task |tasks |shopping |grocery )?(?:list|tasks|todos|to-dos|todo list|inbox)(?![\p{L}\p{N}])/giu;

/** The words of the task after its command, or undefined when the text does not start with one. */
export function createBody(text: string): string | undefined {
  const m = COMMAND.exec(text);
  if (!m) return undefined;
  return text.slice(m[0].length).replace(ON_MY_LIST, '');
}
