using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Durability;

/// <summary>Identifies a workflow definition by the SHA-256 of its canonical JSON.</summary>
public static class DefinitionHash
{
    /// <summary>The hash of <paramref name="definition"/>: SHA-256 of <see cref="WorkflowJson.Serialize"/> (compact), lowercase hex.</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>64 hex digits.</returns>
    public static string Compute(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Compute(WorkflowJson.Serialize(definition));
    }

    /// <summary>The hash of canonical definition JSON: SHA-256 of its UTF-8 bytes, lowercase hex.</summary>
    /// <param name="definitionJson">The JSON, as <see cref="WorkflowJson.Serialize"/> wrote it.</param>
    /// <returns>64 hex digits.</returns>
    public static string Compute(string definitionJson)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(definitionJson)));
    }
}
