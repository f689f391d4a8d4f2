"""Emotion-flavoured sentences the synthetic actors speak (the transcripts).

Each label has its own pool. Instead of its own pool an utterance may draw a decoy sentence:
from the pool shared by its valence group (so text confuses labels within a valence group) or
from the pool common to all labels (so text sometimes says nothing about the emotion).
Sentences are short (about one to three seconds of speech). A few contain non-ASCII letters.
"""

from __future__ import annotations

LABEL_SENTENCES: dict[str, tuple[str, ...]] = {
    "ang": (
        "Get out of my office right now.",
        "I am furious with you.",
        "Stop lying to my face.",
        "That is completely unacceptable.",
        "How dare you touch my things.",
        "You ruined everything again.",
        "I hate it when you do that.",
        "Shut the door and leave me alone.",
        "Do not ever yell at me.",
        "You had no right to do that.",
    ),
    "hap": (
        "I am so glad to see you.",
        "What a lovely morning this is.",
        "Thank you, this makes me happy.",
        "We had such a nice time.",
        "I love this little garden.",
        "You always make me smile.",
        "That was a sweet thing to say.",
        "It feels good to be home.",
        "I am really pleased with it.",
        "Let us enjoy the sunshine.",
    ),
    "exc": (
        "We won the whole thing!",
        "I got the job, can you believe it!",
        "This is the best day ever!",
        "Wow, we are going to Paris!",
        "I cannot wait to start tomorrow!",
        "Yes, yes, we finally did it!",
        "The tickets arrived this morning!",
        "Come on, let us celebrate tonight!",
        "That was absolutely amazing!",
        "I passed every single exam!",
    ),
    "sad": (
        "I miss him every single day.",
        "Nobody came to the funeral.",
        "I feel so empty and tired.",
        "She is never coming back.",
        "I lost my best friend.",
        "Everything reminds me of her.",
        "I cried all night long.",
        "It is over between us.",
        "The house feels so quiet now.",
        "I just want to be alone.",
    ),
    "neu": (
        "The meeting starts at nine.",
        "I parked the car outside.",
        "Can you pass me the folder?",
        "The bus leaves from platform two.",
        "I will call you after lunch.",
        "Let me check the schedule.",
        "The form is on the table.",
        "We need to buy more paper.",
        "My flight lands on Tuesday.",
        "Please sign at the bottom.",
    ),
    "fru": (
        "Why does this never work?",
        "I have been waiting for hours.",
        "They keep losing my paperwork.",
        "This line is not moving at all.",
        "I already explained it three times.",
        "Nobody here is helping me.",
        "The computer crashed again.",
        "I give up on this stupid form.",
        "Every office sends me somewhere else.",
        "It is always the same excuse.",
    ),
    "sur": (
        "Oh my, I did not expect that.",
        "Wait, you are getting married?",
        "Really, he said that?",
        "No way, is that you?",
        "What, since when?",
        "I never would have guessed.",
        "You cut your hair!",
        "Whoa, where did that come from?",
        "That is a surprise.",
        "Seriously, all of it?",
    ),
    "fea": (
        "Did you hear that noise?",
        "Please do not leave me here.",
        "Someone is following us.",
        "I am scared of the dark.",
        "What if the plane goes down?",
        "Lock the door, quickly.",
    ),
    "dis": (
        "That smells absolutely disgusting.",
        "Ugh, get that thing away from me.",
        "I cannot stand how he eats.",
        "That is revolting.",
        "How can you drink that?",
        "Gross, there is hair in it.",
    ),
    "oth": (
        "Hmm, I am not sure what I feel.",
        "Well, it is complicated.",
        "I guess it could go either way.",
        "Maybe, maybe not.",
    ),
    "xxx": (),  # no evaluator agreement: borrows another label's sentence (see plan)
}

GROUP_SENTENCES: dict[str, tuple[str, ...]] = {
    "positive": (
        "Oh, that is wonderful news.",
        "I knew you could do it.",
        "This is really great.",
        "Look at you, you look fantastic.",
        "We should do this more often.",
        "I am so proud of you.",
        "What a beautiful day.",
        "Let us have a drink at the café.",
    ),
    "negative": (
        "I do not want to talk about it.",
        "This is a disaster.",
        "Why did you do this to me?",
        "I cannot take this anymore.",
        "It is all wrong.",
        "Leave it, it does not matter now.",
        "This is so unfair.",
        "I was naïve to trust you.",
    ),
    "neutral": (
        "Okay, I understand.",
        "So what happens next?",
        "I will think about it.",
        "Right, let us see.",
        "It is about ten minutes away.",
        "I read it yesterday.",
        "Fine, we can do that.",
        "The number is on the card.",
    ),
}

COMMON_SENTENCES: tuple[str, ...] = (
    "I did not expect to hear from you today.",
    "Tell me what happened.",
    "We need to talk about it.",
    "I heard what you said.",
    "Is that what you really think?",
    "It happened again this morning.",
    "You know what I mean.",
    "Let us go over it once more.",
)

# Short backchannel turns (the ``_MXX0``-style turns that have neither label nor sentence wav).
BACKCHANNELS = ("Mm-hm.", "Yeah.", "Uh-huh.", "Right.", "Okay.")
# Speaker-only transcription lines without id or times, as the release has a few.
SPEAKER_ONLY_LINES = ("M: sorry.", "F: what?", "M: hm.", "F: yeah.")
# Decorations that make a transcript quirky: a colon inside the text, a non-verbal tag (not
# spoken), non-ASCII letters. ``{}`` is the sentence.
COLON_FORMS = ("Listen: {}", "Look: {}", "Wait: {}", "{} Honestly: that is it.")
TAG_FORMS = ("{} [LAUGHTER]", "[BREATHING] {}", "{} [GARBAGE]", "[LAUGHTER] {}")
ACCENT_FORMS = ("{} Voilà.", "Señor, {}", "{} Déjà vu.")
