using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Core.Serialization.Schema;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// The JSON Schema (draft 2020-12) of workflow documents, shipped inside the package: for editors (validation and
/// completion) and, in its strict variant, for LLM structured output.
/// </summary>
/// <remarks>
/// <see cref="Json"/> describes every form the loader reads, stored-document spellings included, and flags the fields
/// the loader would warn about as unknown. <see cref="StructuredOutputJson"/> is derived from it (one source): only the
/// canonical fields, every object closed with all its properties required (optional ones nullable), and only the
/// keywords OpenAI-style strict schemas accept. A reply written under it becomes a loadable document through
/// <see cref="FromStructuredOutput"/>.
/// </remarks>
public static class WorkflowSchema
{
    /// <summary>The schema's <c>$id</c>; documents may name it in <c>$schema</c> for editors (the loader ignores it).</summary>
    public const string Id = "https://orchestrator.dev/schemas/workflow.schema.json";

    private const string ResourceName = "Orchestrator.Core.Serialization.Schema.workflow.schema.json";

    private static readonly Lazy<string> s_json = new(ReadResource);
    private static readonly Lazy<StructuredOutputSchema> s_strict = new(() => StructuredOutputSchema.Derive(JsonNode.Parse(s_json.Value)!.AsObject()));

    /// <summary>The editor schema, as JSON text.</summary>
    public static string Json => s_json.Value;

    /// <summary>The strict structured-output variant, as JSON text: an agent record whose every object is closed and fully required.</summary>
    public static string StructuredOutputJson => s_strict.Value.Json;

    /// <summary>
    /// Turns a reply written under <see cref="StructuredOutputJson"/> into a workflow document for
    /// <see cref="WorkflowJson.Load(string)"/>: null fields dropped, and free-form values (written as JSON text, since a
    /// strict schema cannot describe an open object) parsed back into JSON.
    /// </summary>
    /// <param name="reply">The model's reply.</param>
    /// <returns>The document; a reply that is not a JSON object is returned unchanged, for the loader to report.</returns>
    public static string FromStructuredOutput(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(reply, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return reply;
        }

        if (node is not JsonObject root)
        {
            return reply;
        }

        return s_strict.Value.ToDocument(root).ToJsonString();
    }

    private static string ReadResource()
    {
        using var stream = typeof(WorkflowSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
