using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>How many approvers of a <see cref="HumanApprovalStep"/> must agree.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalType>))]
public enum ApprovalType
{
    /// <summary><c>any</c>: the first decision settles it.</summary>
    [JsonStringEnumMemberName("any")]
    Any,

    /// <summary><c>all</c>: every approver must approve.</summary>
    [JsonStringEnumMemberName("all")]
    All,

    /// <summary><c>majority</c>: more than half must approve.</summary>
    [JsonStringEnumMemberName("majority")]
    Majority,
}
