using System.Text.Json;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Cli.Commands;

/// <summary>Reads the files a command is given, turning every way a read can fail into a message instead of an exception.</summary>
internal static class InputFiles
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Loads a workflow document; the error says why the file itself could not be read.</summary>
    public static async ValueTask<(WorkflowLoadResult? Result, string? Error)> LoadWorkflowAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var stream = Open(path);
            await using (stream.ConfigureAwait(false))
            {
                return (await WorkflowJson.LoadAsync(stream, cancellationToken).ConfigureAwait(false), null);
            }
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return (null, Describe(path, ex));
        }
    }

    /// <summary>Parses a JSON file (comments and trailing commas allowed); the error says why it could not be read or parsed.</summary>
    public static async ValueTask<(JsonDocument? Document, string? Error)> ReadJsonAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var stream = Open(path);
            await using (stream.ConfigureAwait(false))
            {
                return (await JsonDocument.ParseAsync(stream, s_documentOptions, cancellationToken).ConfigureAwait(false), null);
            }
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            return (null, $"'{path}' is not valid JSON (line {line}, column {column}).");
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return (null, Describe(path, ex));
        }
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 16384, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static bool IsReadFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException;

    private static string Describe(string path, Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => $"'{path}' does not exist.",
        UnauthorizedAccessException when Directory.Exists(path) => $"'{path}' is a directory, not a file.",
        _ => $"'{path}' cannot be read: {ex.Message}",
    };
}
