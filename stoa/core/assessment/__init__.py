"""The vulnerability self-assessment as pure rules, with no web framework.

* ``questions`` reads question-bank objects into plain specs;
* ``rating`` proposes a likelihood and a consequence for one threat scenario from the answers;
* ``matrix`` turns a likelihood and a consequence into a risk level;
* ``ranking`` orders the rated scenarios into a list of vulnerabilities;
* ``checks`` finds gaps and contradictions in an assessment.

The EU VAT's own scales and scoring are not public, so every rule here is Stoa's documented
default (research notes, protect-methodology.md §7.3 and §7.5), and each module says what it is.
"""
