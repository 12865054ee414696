using System.Text.Json;

namespace Orchestrator.Cli.Scripting;

/// <summary>
/// The <c>--llm</c> file: <c>{ "text in the prompt": {"text": "...", "input_tokens": N, "output_tokens": N} }</c>.
/// The entries keep their order in the file: the first whose key occurs in a prompt answers it.
/// </summary>
internal sealed class LlmScript
{
    private LlmScript(string path, LlmReply[] replies)
    {
        Path = path;
        Replies = replies;
    }

    /// <summary>The file the script came from, for messages.</summary>
    public string Path { get; }

    /// <summary>The replies in file order.</summary>
    public IReadOnlyList<LlmReply> Replies { get; }

    /// <summary>Reads a script, reporting every problem in it at once.</summary>
    /// <param name="root">The file's JSON.</param>
    /// <param name="path">The file's path, for messages.</param>
    /// <param name="problems">Every problem found; empty when the script is usable.</param>
    /// <returns>The script, or null when there are problems.</returns>
    public static LlmScript? Read(JsonElement root, string path, List<string> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: must be an object mapping text that occurs in a prompt to a reply.");
            return null;
        }

        var replies = new List<LlmReply>();
        foreach (var property in root.EnumerateObject())
        {
            var where = $"{path}: \"{property.Name}\"";
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where}: must be a reply object {{\"text\": ..., \"input_tokens\": N, \"output_tokens\": N}}.");
                continue;
            }

            var before = problems.Count;
            string? text = null;
            int inputTokens = 0, outputTokens = 0;
            foreach (var field in property.Value.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "text" when field.Value.ValueKind == JsonValueKind.String:
                        text = field.Value.GetString();
                        break;
                    case "text":
                        problems.Add($"{where}: 'text' must be a string.");
                        break;
                    case "input_tokens":
                        inputTokens = ReadTokens(field, where, problems);
                        break;
                    case "output_tokens":
                        outputTokens = ReadTokens(field, where, problems);
                        break;
                    default:
                        problems.Add($"{where}: '{field.Name}' is not a field of a reply (fields: text, input_tokens, output_tokens).");
                        break;
                }
            }

            if (text is null && problems.Count == before)
            {
                problems.Add($"{where}: a reply needs 'text'.");
            }

            if (problems.Count == before)
            {
                replies.Add(new LlmReply(property.Name, text!, inputTokens, outputTokens));
            }
        }

        return problems.Count == 0 ? new LlmScript(path, [.. replies]) : null;
    }

    private static int ReadTokens(JsonProperty field, string where, List<string> problems)
    {
        if (field.Value.TryGetInt32(out var tokens) && tokens >= 0)
        {
            return tokens;
        }

        problems.Add($"{where}: '{field.Name}' must be a whole number, 0 or more.");
        return 0;
    }
}
