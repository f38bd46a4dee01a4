"""AgentDojo's suites through intentos (``intentos bench agentdojo:workspace@v1.2``).

Modules, one idea each:

``names``    suite names (``agentdojo:workspace@v1.2+important_instructions``), versions;
``effects``  each AgentDojo tool's effect class, as data;
``policy``   the bench's approval policies for the preview, as data;
``package``  the lazy import of the ``agentdojo`` package, with the install hint;
``profile``  the tools as an intentos API profile (signatures, docstrings, records);
``execute``  one workflow in the sandbox against a copy of the environment held here;
``resolve``  prompt → model → workflow → execute, repaired on failure;
``suite``    the cases (user tasks, or user task x injection task under an attack) and grading;
``published`` and ``report``  AgentDojo's published results beside ours.

Only ``package`` and the modules that need AgentDojo's objects import it; ``names``,
``effects``, ``policy``, ``published`` and ``report`` work without it.
"""
