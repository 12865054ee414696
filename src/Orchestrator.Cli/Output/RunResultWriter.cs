using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Execution;

namespace Orchestrator.Cli.Output;

/// <summary>
/// Prints a run's result: text for people, or <c>{"status","error","steps":{id:{"status","output","error","attempts"}},"outputs","usage"}</c>.
/// </summary>
internal static class RunResultWriter
{
    public static void Write(TextWriter output, WorkflowExecutionResult result, string name, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(output, result, WriteJson);
            return;
        }

        if (format == OutputFormat.Timeline)
        {
            TimelineWriter.Write(output, result, name);
            return;
        }

        output.WriteLine($"Run of '{name}': {WireNames.Of(result.Status)}");
        if (result.Error is { } error)
        {
            output.WriteLine("Error: " + error);
        }

        output.WriteLine(result.Steps.Count == 0 ? "Steps: none ran" : "Steps:");
        foreach (var (id, step) in result.Steps)
        {
            var attempts = step.Attempts == 1 ? "1 attempt" : string.Create(CultureInfo.InvariantCulture, $"{step.Attempts} attempts");
            var line = $"  {id}: {WireNames.Of(step.Status)} ({attempts})";
            if (step.Error is { } stepError)
            {
                line += ": " + stepError;
            }
            else if (step.SkipReason is { } reason)
            {
                line += ": " + reason;
            }

            output.WriteLine(line);
            if (step.Data.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                output.WriteLine("    output: " + JsonOutput.Compact(step.Data));
            }
        }

        output.WriteLine("Outputs: " + JsonOutput.Compact(result.Output));
        var usage = result.Usage;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Usage: {usage.InputTokens} input + {usage.OutputTokens} output = {usage.TotalTokens} tokens in {usage.LlmCalls} LLM call{(usage.LlmCalls == 1 ? string.Empty : "s")}, {usage.Credits} credit{(usage.Credits == 1 ? string.Empty : "s")}"));
    }

    private static void WriteJson(Utf8JsonWriter writer, WorkflowExecutionResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("status", WireNames.Of(result.Status));
        JsonOutput.WriteStringOrNull(writer, "error", result.Error);
        writer.WriteStartObject("steps");
        foreach (var (id, step) in result.Steps)
        {
            writer.WriteStartObject(id);
            writer.WriteString("status", WireNames.Of(step.Status));
            writer.WritePropertyName("output");
            JsonOutput.WriteValue(writer, step.Data);
            JsonOutput.WriteStringOrNull(writer, "error", step.Error);
            writer.WriteNumber("attempts", step.Attempts);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WritePropertyName("outputs");
        JsonOutput.WriteValue(writer, result.Output);
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", result.Usage.InputTokens);
        writer.WriteNumber("output_tokens", result.Usage.OutputTokens);
        writer.WriteNumber("total_tokens", result.Usage.TotalTokens);
        writer.WriteNumber("llm_calls", result.Usage.LlmCalls);
        writer.WriteNumber("credits", result.Usage.Credits);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
