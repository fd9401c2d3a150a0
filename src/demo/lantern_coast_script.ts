/**
 * The dialogue of "The Lantern Coast", a show invented for the demo: ten
 * episodes of original lines written for plexmcp (no one else's
 * dialogue), enough for the dialogue tools to search and recap. Each
 * episode has its own lines, with the harbour's sounds between them.
 *
 * @module
 */

/** One episode of the invented show. */
export interface ScriptEpisode {
  /** Title. */
  title: string;
  /** What happens (the whole episode: a spoiler for anyone part-way). */
  summary: string;
  /** The lines, in order; `[…]` marks a sound. */
  lines: string[];
}

/** The show's title. */
export const LANTERN_COAST = "The Lantern Coast";

/** The show's summary. */
export const LANTERN_COAST_SUMMARY =
  "A young keeper takes over a remote lighthouse after her father vanishes at sea, and learns why its lamp keeps going dark.";

/** Ten episodes, in order. */
export const LANTERN_COAST_EPISODES: readonly ScriptEpisode[] = [
  {
    title: "First Light",
    summary:
      "Maren Holt returns to Skerry Point to keep the lighthouse her father left behind the night his boat was lost.",
    lines: [
      "You came back. I didn't think you would.",
      "Somebody has to keep the lamp, Tobias.",
      "Dad kept a log of every night for thirty years.",
      "Then it's yours now. All of it.",
      "[wind howling]",
      "The lamp never lies. That's what he used to say.",
      "Harbour master Calderón wants the keys by Friday.",
      "She can want all she likes.",
      "Why would the lamp go dark at ten past two?",
      "Nobody touched it. The door was bolted from inside.",
      "[gulls crying]",
      "Put the kettle on. We're going to be up all night.",
      "There's a light out on the water. Look, past the reef.",
      "No boat goes out past the reef in November.",
    ],
  },
  {
    title: "Salt and Iron",
    summary:
      "A storm traps Maren and Tobias in the tower, and a rusted strongbox washes up on the rocks below.",
    lines: [
      "[thunder]",
      "The glass in the lantern room is shaking.",
      "It held through the storm of eighty-one. It'll hold tonight.",
      "Tobias, the shutters! Get the shutters!",
      "There's something on the rocks. Something heavy.",
      "It's a strongbox. Iron, by the look of it.",
      "Salt gets into everything out here. Even locks.",
      "These initials. E. F. Do you know anyone called that?",
      "Not on this coast.",
      "[metal scraping]",
      "Whatever's inside has been waiting a long time.",
      "We open it in daylight, not before.",
      "You sound just like him, you know.",
    ],
  },
  {
    title: "The Cartographer",
    summary:
      "Élodie Ferrand arrives with a chart of the coast that shows a cove no modern map admits exists.",
    lines: [
      "I'm looking for the keeper. The old one.",
      "He's gone. I'm the keeper now.",
      "Then you'll want to see this chart. It's older than the tower.",
      "Ferrand. Élodie Ferrand. I make maps, mostly of places people forget.",
      "That cove isn't there. I've sailed this coast since I was six.",
      "Maps remember what the sea hides.",
      "[paper rustling]",
      "E. F. The initials on the box.",
      "My grandmother's. She drew this in nineteen thirty-nine.",
      "Follow the gulls to the cove. It's written in the margin.",
      "Café au lait? You look like you haven't slept.",
      "I haven't. Not since the lamp went out.",
      "Then we should talk about what it was signalling.",
    ],
  },
  {
    title: "Low Tide",
    summary:
      "At the lowest tide of the year Maren, Tobias and Élodie find the hidden cove and a door cut into the cliff.",
    lines: [
      "Spring tide tonight. Lowest of the year.",
      "[waves retreating]",
      "Follow the gulls, she said. So follow them.",
      "Mind the weed, it's slick as glass.",
      "There. Under the overhang. Do you see it?",
      "A door. Someone cut a door into the cliff.",
      "The hinges are new. Somebody's been here this year.",
      "We have forty minutes before the water turns.",
      "Then stop talking and start climbing.",
      "[door creaking]",
      "It smells of lamp oil in here.",
      "Crates. Dozens of them, all stamped with the harbour seal.",
      "Maren, the tide. We have to go. Now.",
    ],
  },
  {
    title: "Harbour Rules",
    summary:
      "Harbour master Inés Calderón accuses Maren of smuggling, and the crates in the cove begin to disappear.",
    lines: [
      "Miss Holt. A word, if you please.",
      "Harbour master. You're up early.",
      "Crates with my seal on them, in a cave on your father's land.",
      "You've been to the cove?",
      "I run this harbour. Nothing lands here without my say.",
      "Then who put them there? Because it wasn't us.",
      "[bell ringing]",
      "Harbour rules, Miss Holt. The keeper answers for the shore.",
      "Tobias, the crates. Half of them are gone.",
      "Someone moved them last night, on the slack tide.",
      "We keep the lamp lit tonight. Every hour, one of us awake.",
      "You don't trust her.",
      "I don't trust anyone who knew where to look.",
      "[pages turning]",
      "The last page of Dad's log. Someone tore it out.",
      "The keeper's log says my father is alive.",
      "Read it again. Slowly.",
      "Alive, and he knew the lamp would be put out.",
    ],
  },
  {
    title: "The Albatross",
    summary:
      "Divers find the wreck of the Albatross, the boat Maren's father sailed, but no one aboard.",
    lines: [
      "The Albatross went down in forty metres of water.",
      "The divers found her this morning, upright on the sand.",
      "And him?",
      "Nobody aboard. The lifeboat's gone.",
      "[engine idling]",
      "Then he got off. He got off, Tobias.",
      "Or someone took him off.",
      "The wheelhouse clock stopped at ten past two.",
      "The same minute the lamp went dark.",
      "That isn't chance. Nothing out here is chance.",
    ],
  },
  {
    title: "Signal Fires",
    summary:
      "False lights on the headland lure a trawler towards the reef, and Maren races to warn it.",
    lines: [
      "There are fires on the headland. Three of them, in a row.",
      "That's the old wreckers' signal. Nobody's used it in a century.",
      "They want a ship on the reef.",
      "There's a trawler coming round the point!",
      "Get the lamp turning. Full beam, now!",
      "[foghorn]",
      "She's turning. She's seen us. She's turning away.",
      "Whoever lit those fires knew our watch rota.",
      "Then it's someone in the village.",
      "Or someone who reads a keeper's log.",
    ],
  },
  {
    title: "Fog Bank",
    summary:
      "Lost in thick fog in a borrowed dinghy, Tobias hears a voice he knows calling from the water.",
    lines: [
      "I can't see the bow from the stern.",
      "Keep the compass steady. West by north.",
      "[water lapping]",
      "Did you hear that? Someone called my name.",
      "It's the fog. It plays tricks on you.",
      "Tobias! Over here, Tobias!",
      "That's Dad's voice. I'd know it anywhere.",
      "Row. Row towards it. Don't stop.",
      "The fog's lifting. There's nothing here. Nobody.",
    ],
  },
  {
    title: "What the Lamp Saw",
    summary:
      "Maren learns her father is alive and has been working with Inés to catch the smugglers using the lighthouse.",
    lines: [
      "You've been alive all this time.",
      "I had to let them think I drowned, love.",
      "Inés knew? The harbour master knew?",
      "She's the only one who believed me about the crates.",
      "The lamp going dark was the signal. Theirs, not ours.",
      "Ten past two. Every time a cargo came in.",
      "And the Albatross?",
      "I scuttled her myself. The sea keeps secrets better than people.",
      "[door slamming]",
      "They're here. They've come for the log.",
    ],
  },
  {
    title: "Last Light",
    summary:
      "On the longest night of the year the smugglers come for the log, and the lamp of Skerry Point is lit one last time.",
    lines: [
      "Bolt the door. Nobody comes up the stairs.",
      "They've cut the power to the lamp.",
      "Then we light it the old way. Oil and a wick.",
      "[footsteps on iron stairs]",
      "Give me the log, keeper, and nobody gets hurt.",
      "The log stays with the lamp. That's the rule.",
      "Look at the harbour. Every boat has its lights on.",
      "Inés brought the whole village.",
      "The lamp never lies. Not even tonight.",
      "Skerry Point is lit. Let them see it from the other side of the sea.",
      "[waves breaking]",
      "Same time tomorrow night, keeper?",
      "Every night. For as long as it takes.",
    ],
  },
];

/** Spanish lines of the first episode (a second subtitle language). */
export const FIRST_LIGHT_SPANISH: readonly string[] = [
  "Has vuelto. No pensé que volverías.",
  "Alguien tiene que cuidar la linterna, Tobías.",
  "Papá anotaba cada noche en su diario.",
  "La lámpara nunca miente. Eso decía siempre.",
  "La capitana Calderón quiere las llaves el viernes.",
  "¿Por qué se apagaría la lámpara a las dos y diez?",
  "Hay una luz en el agua, más allá del arrecife.",
];

/** Sounds between the lines: the harbour at night. */
export const HARBOUR_SOUNDS: readonly string[] = [
  "[waves]",
  "[gulls crying]",
  "[wind]",
  "[rope creaking]",
  "[distant bell]",
  "[footsteps]",
];
