#!/usr/bin/env bash
# Evaluates the booking assistant on its corpus and prints the figures (README, "Assistant"): builds the evaluation in
# Release and runs it. It hosts the Google emulator, the MCP server and the backend in its own process at the corpus's
# fixed clock (Wednesday 15 January 2025, 10:00 in Buenos Aires) and replays every case in a new conversation.
#   ./scripts/evaluate-assistant.sh                      the rule mode on tools/CalendarConnect.AssistantEvaluation/Corpus/assistant-corpus.txt
#   ./scripts/evaluate-assistant.sh --corpus FILE        another corpus in the same format
#   ./scripts/evaluate-assistant.sh --update-gap-markers the corpus's '# gap' markers rewritten to this run's findings
#                                                        (after a change to the assistant: its diff shows what was fixed and what broke)
#   ASSISTANT_LLM_ENDPOINT=http://localhost:11434/v1 ASSISTANT_LLM_MODEL=llama3.1 ./scripts/evaluate-assistant.sh
#                                                        the LLM mode on the same corpus (ASSISTANT_LLM_API_KEY, ASSISTANT_LLM_TIMEOUT_SECONDS as the backend reads them)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> dotnet build -c Release tools/CalendarConnect.AssistantEvaluation"
dotnet build -c Release tools/CalendarConnect.AssistantEvaluation -nologo -v quiet -clp:ErrorsOnly

# The corpus in the source tree, not the build's copy, so --update-gap-markers edits the file that is committed.
corpus=()
[[ " $* " == *" --corpus "* ]] || corpus=(--corpus tools/CalendarConnect.AssistantEvaluation/Corpus/assistant-corpus.txt)
exec dotnet tools/CalendarConnect.AssistantEvaluation/bin/Release/net10.0/CalendarConnect.AssistantEvaluation.dll "${corpus[@]}" "$@"
