using System.Collections;
using CalendarConnect.AssistantEvaluation;

var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
return await EvaluationCommand.RunAsync(args, environment, Console.Out, Console.Error);
