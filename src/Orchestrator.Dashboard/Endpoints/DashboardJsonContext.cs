using System.Text.Json.Serialization;

namespace Orchestrator.Dashboard.Endpoints;

/// <summary>The dashboard's JSON replies, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DecisionReply))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext
{
}
