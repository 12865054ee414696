using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Model;

/// <summary>
/// One place a <see cref="HumanApprovalStep"/> notifies approvers: a channel name (<c>"email"</c>) or, in JSON, an
/// object <c>{ "type": "slack", "config": { "channel": "#approvals" } }</c> whose configuration is passed to the host.
/// </summary>
public sealed record NotificationChannel
{
    /// <summary>The channel, such as <c>email</c> or <c>slack</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The channel's settings as written (recipients, channel name, ...); never evaluated. Null for the string form.</summary>
    [JsonInclude]
    internal LiteralValue? Config { get; init; }

    /// <summary>The channel's settings as written (recipients, channel name, ...); never evaluated. Null for the string form. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? ConfigJson => Config?.Value;
}
