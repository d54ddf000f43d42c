"""Scoring: answers -> ScoreCard -> sector passport -> benchmarks (pure: no I/O, no database).

``score`` scores one assessment (rules S1..S5, S8 in the design), ``scoring.passport.build``
turns score cards into a sector passport (S6, S7), ``scoring.batch.score_many`` scores many
assessments at once and ``scoring.benchmark`` compares them (S9, S10).
"""

from scoring.engine import score
from scoring.validation import AnswerProblem, AnswerProblemCode, InvalidAnswers, validate_answers

__all__ = ["AnswerProblem", "AnswerProblemCode", "InvalidAnswers", "score", "validate_answers"]
