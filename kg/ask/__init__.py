"""Questions in plain English: reading a question, choosing and filling a template, composing what it cannot
apply, answering, notes, and answers from the fact index."""
