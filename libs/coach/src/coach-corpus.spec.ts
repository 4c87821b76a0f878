import { analyseText } from './coach.js';
import { COACH_FAMILIES, type CoachFamily } from './coach.types.js';

/**
 * A labelled corpus of synthetic sentences (written for this test, no real client
 * text). Labels are a human reading of what each sentence does, NOT what the
 * rules match: sarcasm without a lexical marker is labelled SRC and counts as a
 * miss, a sincere "oh great" is unlabelled and counts as a false alarm. Every
 * §6.3 case is here. Sentences are scored in `accountability` mode (all families on).
 *
 * Format: [sentence, space-separated families ('' for none), 'safety' when the
 * sentence must pause coaching (§6.2 suppression 4)].
 */
type Entry = readonly [text: string, families: string, safety?: 'safety'];

const CORPUS: readonly Entry[] = [
  // ---- §6.3 test cases ----------------------------------------------------------------------------
  ['You always come home late and you never text.', 'ABS'],
  ["You always make me laugh when I'm down.", ''],
  ["I feel like you don't care about us.", 'PSI MND'],
  ["You're so selfish.", 'LBL'],
  ['Oh great, another "late meeting" 🙄', 'SRC'],
  ['You made me feel stupid.', 'BLM'],
  ["I felt scared when you didn't answer at 11pm.", ''],
  ["He said 'you never listen' and I cried.", 'ABS'],
  ["I'm sorry you feel that way, but I was stressed.", 'NAP'],
  ["It was only a few texts, you're overreacting.", 'MIN'],
  ['You need to delete her number.', 'DMD'],
  ['If you ever do that again I will make you pay.', '', 'safety'],
  ["And another thing, just like when you forgot my mum's birthday.", 'KSK'],
  ['I feel betrayed.', ''],

  // ---- ABS: absolutes ------------------------------------------------------------------------------
  ['You never tell me where you are.', 'ABS'],
  ["You're always on your phone when I'm talking.", 'ABS'],
  ['Every time you go out with them, you lie about it.', 'ABS'],
  ['You are constantly checking out other people.', 'ABS'],
  ['Nothing you say means anything anymore.', 'ABS'],
  ["Not once have you asked how I'm doing.", 'ABS'],
  ['You never apologise unless you are pushed.', 'ABS'],
  ['Each time you promise, you break it.', 'ABS'],
  ['Everything you do is about you.', 'ABS'],
  ["You're never there when the kids need you.", 'ABS'],
  ['You forever find a reason to be late.', 'ABS'],
  ['Every single time you drink, it ends badly.', 'ABS'],
  ['You are always defending her.', 'ABS'],
  ['You never listen to a word I say.', 'ABS'],
  ['Why do you always have to have the last word?', 'ABS'],
  ['You continually ignore what we agreed.', 'ABS'],
  ["You're always making excuses and you never follow through.", 'ABS'],
  ['Not once did you call me that weekend.', 'ABS'],
  ['Honestly, you never think about anyone but yourself.', 'ABS'],
  ["You always do this, you're so selfish.", 'ABS LBL'],
  ["You never help with anything, and it's all your fault we're behind.", 'ABS BLM'],
  ["You always say you're sorry, but you never change.", 'ABS'],
  ['You are never on time for the counselling sessions.', 'ABS'],
  ['Every time you look at your phone I feel invisible.', 'ABS'],
  ["You don't ever call when you say you will.", 'ABS'],
  ['There has not been a single day where you kept your word.', 'ABS'],
  ['You are late all the time.', 'ABS'],
  // ABS negatives: praise, self-reference, negation.
  ["You're always there for me when it counts.", ''],
  ["You always help with the kids' homework, and I notice.", ''],
  ['Every time you hug me I feel calmer.', ''],
  ["I always forget to text when I'm working late.", ''],
  ['I never meant to make you feel alone.', ''],
  ["I'm not saying you always get it wrong.", ''],
  ['You always know how to make me smile.', ''],
  ['You never make me feel stupid for asking.', ''],
  ['Do you always work on Saturdays?', ''],

  // ---- LBL: labels ---------------------------------------------------------------------------------
  ["You're such a liar.", 'LBL'],
  ['You are pathetic.', 'LBL'],
  ["What's wrong with you?", 'LBL'],
  ["You're being childish about this.", 'LBL'],
  ['You are a manipulative person and everyone knows it.', 'LBL'],
  ["You're just a cheater.", 'LBL'],
  ["You're useless with money.", 'LBL'],
  ['You are so lazy on weekends.', 'LBL'],
  ['You liar.', 'LBL'],
  ["You're a narcissist, plain and simple.", 'LBL'],
  ['You are heartless.', 'LBL'],
  ["You're toxic and I'm tired.", 'LBL'],
  ['What is wrong with you, seriously?', 'LBL'],
  ["You're nothing but a coward.", 'LBL'],
  ['You lying cheat, how could you?', 'LBL SRC'],
  ["You're crazy if you think I'll forget this.", 'LBL'],
  ['You are the most selfish person I know.', 'LBL'],
  ["You're disgusting.", 'LBL'],
  ["You're so fake with my family.", 'LBL'],
  ["She told me 'you're a liar' in front of the kids.", 'LBL'],
  ["You're a terrible partner.", 'LBL'],
  ['Such a loser move, typical of you.', 'LBL'],
  ['You act like a spoiled brat.', 'LBL'],
  // LBL negatives.
  ["I'm such an idiot for not seeing it sooner.", ''],
  ["I'm so selfish sometimes and I know it.", ''],
  ["You're not selfish, you're scared.", ''],
  ["You're so kind to my mother.", ''],
  ['He called me crazy when I asked about her.', ''],
  ["You're an amazing dad.", ''],

  // ---- NAP: non-apologies --------------------------------------------------------------------------
  ["I'm sorry if I upset you.", 'NAP'],
  ['Sorry, but you read my messages first.', 'NAP'],
  ['Mistakes were made on both sides.', 'NAP'],
  ["I'm sorry you felt hurt by what happened.", 'NAP'],
  ['I am sorry if anything I did bothered you.', 'NAP'],
  ['I apologise if my texts came across wrong.', 'NAP'],
  ["I'm sorry that you think I lied.", 'NAP'],
  ["I'm sorry you were upset by the messages.", 'NAP'],
  ["I'm sorry, but I needed someone to talk to.", 'NAP'],
  ['Sorry you had to find out that way.', 'NAP'],
  ["I'm sorry for how you feel about it.", 'NAP'],
  ["I'm sorry you took it so personally.", 'NAP'],
  ['I apologize, but you have to see my side.', 'NAP DMD'],
  ["I'm sorry for any confusion my messages caused.", 'NAP'],
  ['Mistakes were made and I want to move on.', 'NAP MIN'],
  ["I'm sorry if you feel I betrayed you.", 'NAP'],
  ["I'm sorry that you felt ignored.", 'NAP'],
  ["I'm sorry you found out from someone else.", 'NAP'],
  ['Sorry if my phone being locked bothers you.', 'NAP'],
  ['I regret that you were hurt.', 'NAP'],
  ['I guess I owe you an apology or whatever.', 'NAP'],
  // NAP negatives: real apologies.
  ["I'm sorry that I lied to you about where I was.", ''],
  ["I'm sorry I hid the messages from you.", ''],
  ["I'm sorry. I broke your trust and I'm working on it.", ''],
  ["I'm sorry I wasn't honest; it hurt you and I understand why.", ''],
  ['I am sorry for the pain I caused you.', ''],
  ["I'm sorry I made you doubt yourself.", ''],
  ["Sorry I'm late, traffic was awful.", ''],

  // ---- SRC: sarcasm / contempt ---------------------------------------------------------------------
  ['Sure you were "working late".', 'SRC'],
  ['Yeah, right, you were helping her move.', 'SRC'],
  ['Thanks a lot for nothing.', 'SRC'],
  ['Real mature, slamming the door.', 'SRC'],
  ['What a surprise, you forgot again.', 'SRC'],
  ['Are you serious?!', 'SRC'],
  ['Big surprise, the phone was off.', 'SRC'],
  ['So your "friend" needed you at midnight?', 'SRC'],
  ['Oh wonderful, another weekend alone 🙃', 'SRC'],
  ['Who does that to someone they love?', 'SRC'],
  ["As if you'd ever admit it.", 'SRC'],
  ['Do you even remember our anniversary?', 'SRC'],
  ['How could you do this to our family?', 'SRC'],
  ['Wow, you remembered to call. /s', 'SRC'],
  ['I LOVE HOW YOU NEVER ANSWER.', 'SRC ABS'],
  ['You were at the gym until midnight?? Really??', 'SRC'],
  ['Wow, you remembered my birthday, what an honour.', 'SRC'],
  ['Must be nice to have your phone on silent all day.', 'SRC'],
  ["Sure, because you've been so honest with me.", 'SRC'],
  ['Brilliant plan, hiding it for a year.', 'SRC'],
  ['Congratulations on finally telling the truth.', 'SRC'],
  // SRC negatives (two sincere uses that the markers take for sarcasm).
  ['Oh great, the test came back clear!', ''],
  ['Thanks a lot for taking the kids today.', ''],
  ['Are you serious about trying counselling? That would mean a lot.', ''],
  ['I feel as if we are finally talking again.', ''],
  ['We had a great time at the lake.', ''],

  // ---- BLM: blame causation ------------------------------------------------------------------------
  ['You made me do this.', 'BLM'],
  ["It's all your fault we're in this mess.", 'BLM'],
  ["If you hadn't lied, none of this would have happened.", 'BLM'],
  ['You drove me to look elsewhere.', 'BLM'],
  ["Because you didn't listen, I stopped talking.", 'BLM'],
  ['You forced me to check your phone.', 'BLM'],
  ["It is your fault that I can't sleep.", 'BLM'],
  ['You make me so angry when you do that.', 'BLM'],
  ['I only did it because of how cold you were.', 'BLM'],
  ['You made me dinner and it meant a lot.', ''],
  ['You drove me to work when my car broke down.', ''],
  ["If you didn't want to come, that's okay with me.", ''],

  // ---- MND: mind-reading ---------------------------------------------------------------------------
  ["You obviously don't care.", 'MND'],
  ['You just wanted to get back at me.', 'MND'],
  ['You did that on purpose.', 'MND'],
  ['You did it to hurt me.', 'MND'],
  ["You clearly think I'm stupid.", 'MND'],
  ["You don't even care that I cried.", 'MND'],
  ['You wanted to be caught.', 'MND'],
  ["You're only saying that to make me feel guilty.", 'MND'],
  ['Do you want to go for a walk tonight?', ''],
  ["If you want to talk later, I'm here.", ''],

  // ---- PSI: pseudo-I-statements --------------------------------------------------------------------
  ["I feel like you're lying.", 'PSI'],
  ['I feel that you never listen.', 'PSI ABS'],
  ["I feel you're hiding something.", 'PSI'],
  ["I feel as though you've checked out.", 'PSI'],
  ['I felt like you were laughing at me.', 'PSI'],
  ["I feel as if you don't want me here.", 'PSI'],
  ["I feel like you're a liar.", 'PSI LBL'],
  ["I feel like I'm finally being heard.", ''],
  ["I feel like we're making progress.", ''],

  // ---- EVF: evaluative feeling words (info) --------------------------------------------------------
  ['I feel ignored.', 'EVF'],
  ['I feel manipulated.', 'EVF'],
  ['I felt so disrespected at the dinner.', 'EVF'],
  ['I feel rejected when you turn away.', 'EVF'],
  ['I feel lied to.', 'EVF'],
  ["I feel hurt and I don't know what to do with it.", ''],
  ['I felt betrayed when I saw the messages.', ''],

  // ---- DMD: demands --------------------------------------------------------------------------------
  ['You have to stop lying to me.', 'DMD'],
  ['You should have told me the truth.', 'DMD'],
  ['You must end it tonight.', 'DMD'],
  ["You'd better be home by nine.", 'DMD'],
  ['Tell me the truth or else.', 'DMD'],
  ['You ought to apologise to my parents.', 'DMD'],
  ['You need to get over it.', 'DMD MIN'],
  ['Tell me everything, right now.', 'DMD'],
  ['What do you need to feel safe with me?', ''],
  ['I know you have to work late on Thursdays.', ''],
  ["Whatever you need to feel okay, I'll try.", ''],

  // ---- KSK: kitchen-sinking ------------------------------------------------------------------------
  ['Remember when you lied about the trip?', 'KSK'],
  ['This is just like last time.', 'KSK'],
  ['You did the same thing with your ex.', 'KSK'],
  ['Just like the time you hid the credit card bill.', 'KSK'],
  ["And don't get me started on last Christmas.", 'KSK'],
  ['Remember when you took me to the lake? I loved that.', ''],

  // ---- MIN: minimising -----------------------------------------------------------------------------
  ['It meant nothing.', 'MIN'],
  ["It didn't mean anything to me.", 'MIN'],
  ['It was just lunch.', 'MIN'],
  ['It only happened once.', 'MIN'],
  ['At least I told you eventually.', 'MIN'],
  ['Everyone does this at some point.', 'MIN'],
  ["You're too sensitive about my phone.", 'MIN'],
  ["That's in the past, can we just move on?", 'MIN'],
  ['It was only once.', 'MIN'],
  ['Let it go already.', 'MIN'],
  ['It was just lovely to see you laugh.', ''],

  // ---- Safety precedence (coaching pauses; the separate risk scan reviews saved text) -------------
  ["You're abusive and I'm scared of you.", '', 'safety'],
  ["He hit me last night and I don't know what to do.", '', 'safety'],
  ['Sometimes I want to die.', '', 'safety'],
  ["I don't feel safe at home with you.", '', 'safety'],
  ['You always threaten to leave with the kids.', '', 'safety'],
  ["If you ever touch my phone again I'll leave.", '', 'safety'],
  ['He choked me during the argument.', '', 'safety'],

  // ---- Clean I-statements and ordinary sentences ---------------------------------------------------
  ['When you came home at midnight, I felt lonely because I needed to know you were okay.', ''],
  ["Would you be willing to text me if you're going to be late?", ''],
  ['I need us to talk about the budget this week.', ''],
  ['I felt anxious when the phone went to voicemail.', ''],
  ['Thank you for telling me the truth today.', ''],
  ['I noticed you put your phone face up on the table, and it helped.', ''],
  ['I appreciate that you came to the session.', ''],
  ['Can we set aside ten minutes tonight to check in?', ''],
  ["I'm proud of how we handled Sunday.", ''],
  ['I want to rebuild this with you.', ''],
  ['When I saw the message, I felt sick and confused.', ''],
  ['I need reassurance when you travel for work.', ''],
  ["I'm scared that I'll never trust again.", ''],
  ['I always feel better after we walk together.', ''],
  ["I never know what to say when I'm flooded.", ''],
  ['You helped me breathe when I panicked yesterday.', ''],
  ["I'd like us to try the pause plan next time.", ''],
  ['It hurts when I remember that night.', ''],
  ['I chose to hide it, and that was wrong.', ''],
  ["My counselor said 'you are allowed to feel angry' and that helped.", ''],
  ['Yesterday felt like a good day for us.', ''],
  ['You were kind to me this morning and I noticed.', ''],
  ['Would you be willing to tell me before you meet her?', ''],
  ['I felt relieved when you showed me the calendar.', ''],
  ['I want to understand what was going on for you that year.', ''],
  ['Could we plan one evening a week without screens?', ''],
];

interface Score {
  tp: number;
  fp: number;
  fn: number;
}

function score(): { perFamily: Record<CoachFamily, Score>; safetyMisses: string[]; errors: string[] } {
  const perFamily = Object.fromEntries(COACH_FAMILIES.map((family) => [family, { tp: 0, fp: 0, fn: 0 }])) as Record<
    CoachFamily,
    Score
  >;
  const safetyMisses: string[] = [];
  const errors: string[] = [];
  for (const [text, labels, safety] of CORPUS) {
    const expected = new Set(labels.split(' ').filter(Boolean) as CoachFamily[]);
    const analysis = analyseText(text, 'accountability');
    if ((analysis.safetyPause !== null) !== (safety === 'safety')) safetyMisses.push(text);
    const found = new Set(analysis.hints.map((hint) => hint.family));
    for (const family of COACH_FAMILIES) {
      const s = perFamily[family];
      if (found.has(family) && expected.has(family)) s.tp += 1;
      else if (found.has(family)) {
        s.fp += 1;
        errors.push(`${family} false alarm: ${text}`);
      } else if (expected.has(family)) {
        s.fn += 1;
        errors.push(`${family} missed: ${text}`);
      }
    }
  }
  return { perFamily, safetyMisses, errors };
}

const ratio = (a: number, b: number) => (b === 0 ? Number.NaN : a / b);
const fmt = (value: number) => (Number.isNaN(value) ? '  n/a' : value.toFixed(3));

describe('the I-statement coach corpus', () => {
  const { perFamily, safetyMisses, errors } = score();
  const precision = (family: CoachFamily) => ratio(perFamily[family].tp, perFamily[family].tp + perFamily[family].fp);
  const recall = (family: CoachFamily) => ratio(perFamily[family].tp, perFamily[family].tp + perFamily[family].fn);

  beforeAll(() => {
    const lines = [
      `I-statement coach corpus: ${CORPUS.length} labelled sentences, mode accountability`,
      'family  precision  recall   tp  fp  fn',
      ...COACH_FAMILIES.map((family) => {
        const s = perFamily[family];
        return `${family.padEnd(6)}  ${fmt(precision(family)).padStart(9)}  ${fmt(recall(family)).padStart(6)}  ${String(s.tp).padStart(3)} ${String(s.fp).padStart(3)} ${String(s.fn).padStart(3)}`;
      }),
    ];
    // COACH_CORPUS_DEBUG=true lists every false alarm and miss.
    if (process.env.COACH_CORPUS_DEBUG === 'true') lines.push('', ...errors);
    console.log(lines.join('\n'));
  });

  it('holds at least 150 labelled sentences, every §6.3 case among them', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CORPUS.map(([text]) => text)).size).toBe(CORPUS.length);
  });

  it.each(['ABS', 'LBL', 'NAP'] as const)('%s: precision >= 0.9 and recall >= 0.8', (family) => {
    expect(precision(family)).toBeGreaterThanOrEqual(0.9);
    expect(recall(family)).toBeGreaterThanOrEqual(0.8);
  });

  it('SRC: precision >= 0.8 (recall is expected to be low, §6.4)', () => {
    expect(precision('SRC')).toBeGreaterThanOrEqual(0.8);
  });

  it('has positives for every family, so each figure means something', () => {
    for (const family of COACH_FAMILIES) expect(perFamily[family].tp + perFamily[family].fn).toBeGreaterThan(0);
  });

  it('pauses coaching exactly on the sentences labelled safety', () => {
    expect(safetyMisses).toEqual([]);
  });
});
