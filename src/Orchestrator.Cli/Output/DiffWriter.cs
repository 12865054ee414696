using Orchestrator.Core.Durability;

namespace Orchestrator.Cli.Output;

/// <summary>Writes a definition diff as text or JSON.</summary>
internal static class DiffWriter
{
    public static void Write(TextWriter output, WorkflowDiffResult diff, string oldPath, string newPath, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(output, (diff, oldPath, newPath), static (writer, state) =>
            {
                var (d, o, n) = state;
                writer.WriteStartObject();
                writer.WriteString("old", o);
                writer.WriteString("new", n);
                writer.WriteString("old_hash", d.OldHash);
                writer.WriteString("new_hash", d.NewHash);
                writer.WriteBoolean("identical", d.Identical);
                WriteList(writer, "added", d.AddedSteps);
                WriteList(writer, "removed", d.RemovedSteps);
                writer.WriteStartArray("changed");
                foreach (var change in d.ChangedSteps)
                {
                    writer.WriteStartObject();
                    writer.WriteString("step_id", change.StepId);
                    writer.WriteString("old_type", change.OldType);
                    writer.WriteString("new_type", change.NewType);
                    WriteList(writer, "fields", change.Fields);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                WriteList(writer, "agent_fields", d.ChangedFields);
                writer.WriteStartObject("resume");
                writer.WriteString("verdict", Verdict(d.Resume));
                writer.WriteString("reason", d.ResumeReason);
                WriteList(writer, "notes", d.ResumeNotes);
                writer.WriteEndObject();
                writer.WriteEndObject();
            });
            return;
        }

        output.WriteLine($"old: {oldPath} ({Short(diff.OldHash)})");
        output.WriteLine($"new: {newPath} ({Short(diff.NewHash)})");
        if (diff.Identical)
        {
            output.WriteLine("No changes.");
        }

        foreach (var id in diff.AddedSteps)
        {
            output.WriteLine($"+ {id}");
        }

        foreach (var id in diff.RemovedSteps)
        {
            output.WriteLine($"- {id}");
        }

        foreach (var change in diff.ChangedSteps)
        {
            var type = change.OldType == change.NewType ? change.NewType : $"{change.OldType} -> {change.NewType}";
            output.WriteLine($"~ {change.StepId} ({type}): {string.Join(", ", change.Fields)}");
        }

        if (diff.ChangedFields.Count > 0)
        {
            output.WriteLine($"~ agent: {string.Join(", ", diff.ChangedFields)}");
        }

        output.WriteLine();
        output.WriteLine($"resume: {Verdict(diff.Resume)}");
        output.WriteLine("  " + diff.ResumeReason);
        foreach (var note in diff.ResumeNotes)
        {
            output.WriteLine("  - " + note);
        }

        static string Short(string hash) => "sha256 " + hash[..12];
    }

    /// <summary>The verdict's wire name.</summary>
    public static string Verdict(ResumeCompatibility resume) => resume switch
    {
        ResumeCompatibility.Unchanged => "unchanged",
        ResumeCompatibility.RequiresAllowDefinitionChange => "requires_allow_definition_change",
        _ => "refused",
    };

    private static void WriteList(System.Text.Json.Utf8JsonWriter writer, string name, IReadOnlyList<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
