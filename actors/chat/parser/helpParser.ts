/** "help", "?", "what can you do?", "how does this work", "commands", a bare greeting. */

const HELP = /^(?:help(?: me)?|h|\?+|commands|usage|menu|instructions|examples?|info|hi|hello|hey|start|what can (?:you|i) (?:do|say|ask|type)(?: here)?|what (?:do|can) you (?:do|understand|know)|what are (?:the|your) commands|how (?:do|does) (?:this|it|you) work|how do i use (?:this|you|it)|how does this thing work|show (?:me )?(?:some )?examples|what can i ask(?: you)?)$/i;

export const isHelp = (text: string): boolean => HELP.test(text);
