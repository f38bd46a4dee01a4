"""The functions an intent most likely needs, for a prompt that describes only those.

A prompt whose template says ``function_table: relevant`` shows the full descriptions of a
few functions and names the rest (issue 12, item 6: does a small model do better with less
to read?). The few are, in this order:

1. the API functions the worked examples chosen for the intent call, in table order — the
   examples show how they are used, so their descriptions belong with them;
2. then the functions whose name and one-line description share the most words with the
   intent (the example library's word features: synonyms folded, light stemming), ties in
   table order, as long as they share at least one word.

No model is involved and the choice is deterministic, so a bench run can be repeated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from intentos.api.registry import ApiFunction
from intentos.pipeline.examples import WorkedExample, word_features

DEFAULT_RELEVANT_COUNT = 8


def _shared_words(intent_words: set[str], function: ApiFunction) -> int:
    described = word_features(f"{function.name.replace('_', ' ')} {function.summary}")
    return len(intent_words & set(described))


def relevant_functions(
    intent: str,
    functions: Sequence[ApiFunction],
    examples: Iterable[WorkedExample],
    count: int = DEFAULT_RELEVANT_COUNT,
) -> list[ApiFunction]:
    """At most ``count`` of ``functions`` for ``intent``, in table order (see the module)."""
    called = {name for example in examples for name in example.api_calls()}
    chosen = [function for function in functions if function.name in called][:count]
    taken = {function.name for function in chosen}
    intent_words = set(word_features(intent))
    scored = sorted(
        (-_shared_words(intent_words, function), index)
        for index, function in enumerate(functions)
        if function.name not in taken
    )
    for shared, index in scored:
        if len(chosen) >= count or shared == 0:
            break
        chosen.append(functions[index])
    position = {function.name: index for index, function in enumerate(functions)}
    return sorted(chosen, key=lambda function: position[function.name])
