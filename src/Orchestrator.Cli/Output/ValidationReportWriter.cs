using System.Globalization;
using System.Text.Json;
using Orchestrator.Cli.Commands;
using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Cli.Output;

/// <summary>Prints what <c>validate</c> found, as text or as <c>{"files":[{"path","valid","diagnostics":[...]}]}</c>.</summary>
internal static class ValidationReportWriter
{
    public static void Write(TextWriter output, IReadOnlyList<FileValidation> files, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(output, files, WriteJson);
            return;
        }

        var invalid = 0;
        foreach (var file in files)
        {
            var errors = file.Diagnostics.Count(d => d.IsError);
            var warnings = file.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
            var infos = file.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Info);
            invalid += file.Valid ? 0 : 1;
            var understood = infos == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", {infos} info");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Path}: {(file.Valid ? "valid" : "invalid")} ({Plural(errors, "error")}, {Plural(warnings, "warning")}{understood})"));
            foreach (var diagnostic in file.Diagnostics)
            {
                output.WriteLine("  " + Describe(diagnostic));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Plural(files.Count, "file")}: {files.Count - invalid} valid, {invalid} invalid"));
    }

    /// <summary>One diagnostic on one line: <c>error ORC103 step 'a' at $.workflow_steps[0]: message</c>.</summary>
    public static string Describe(WorkflowDiagnostic diagnostic)
    {
        var where = (diagnostic.StepId, diagnostic.Path) switch
        {
            (not null, not null) => $" step '{diagnostic.StepId}' at {diagnostic.Path}",
            (not null, null) => $" step '{diagnostic.StepId}'",
            (null, not null) => $" at {diagnostic.Path}",
            _ => string.Empty,
        };
        return $"{WireNames.Of(diagnostic.Severity)} {diagnostic.Code}{where}: {diagnostic.Message}";
    }

    private static string Plural(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private static void WriteJson(Utf8JsonWriter writer, IReadOnlyList<FileValidation> files)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("files");
        foreach (var file in files)
        {
            writer.WriteStartObject();
            writer.WriteString("path", file.Path);
            writer.WriteBoolean("valid", file.Valid);
            writer.WriteStartArray("diagnostics");
            foreach (var diagnostic in file.Diagnostics)
            {
                writer.WriteStartObject();
                writer.WriteString("code", diagnostic.Code);
                writer.WriteString("severity", WireNames.Of(diagnostic.Severity));
                JsonOutput.WriteStringOrNull(writer, "step", diagnostic.StepId);
                JsonOutput.WriteStringOrNull(writer, "path", diagnostic.Path);
                writer.WriteString("message", diagnostic.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
