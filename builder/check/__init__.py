"""Checking written pages: anchors resolve, cited sentences are supported by what they cite.

The build and `coursewiki check` use the same code and the same evidence: the PDF's page texts
(carried on the Paper record) and the cues of the published subtitles (`talk.vtt`)."""
