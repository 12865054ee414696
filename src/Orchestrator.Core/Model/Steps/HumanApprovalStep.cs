using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>
/// <c>human_approval</c>: the run suspends until enough decisions arrive; a rejection fails the step.
/// <see cref="WorkflowStep.Timeout"/> is how long to wait for them.
/// </summary>
public sealed record HumanApprovalStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.HumanApproval;

    /// <summary>Who may decide.</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> Approvers { get; init; }

    /// <summary>How many must agree; <see cref="Model.ApprovalType.Any"/> when absent.</summary>
    public ApprovalType? ApprovalType { get; init; }

    /// <summary>The request's title; may hold references.</summary>
    [JsonInclude]
    internal TemplateValue? Title { get; init; }

    /// <summary>The request's title; may hold references. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? TitleJson => ExpressionJson.Of(Title);

    /// <summary>The request's message; may hold references.</summary>
    [JsonInclude]
    internal TemplateValue? Message { get; init; }

    /// <summary>The request's message; may hold references. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? MessageJson => ExpressionJson.Of(Message);

    /// <summary>Data shown to the approvers; may hold references.</summary>
    [JsonInclude]
    internal TemplateValue? Context { get; init; }

    /// <summary>Data shown to the approvers; may hold references. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? ContextJson => ExpressionJson.Of(Context);

    /// <summary>What happens when the time runs out; <see cref="ApprovalTimeoutAction.Reject"/> when absent.</summary>
    public ApprovalTimeoutAction? OnTimeout { get; init; }

    /// <summary>Who is asked when the request escalates.</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> EscalateTo { get; init; }

    /// <summary>Whether a decision must carry a comment.</summary>
    public bool RequireComment { get; init; }

    /// <summary>Whether an approver may hand the decision to someone else.</summary>
    public bool AllowDelegate { get; init; }

    /// <summary>Where approvers are notified: channel names, or channels with settings (<c>{ type, config }</c> in JSON).</summary>
    [JsonConverter(typeof(NotificationChannelListJsonConverter))]
    public EquatableArray<NotificationChannel> NotificationChannels { get; init; }
}
