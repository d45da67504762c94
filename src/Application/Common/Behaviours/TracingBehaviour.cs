using System.Diagnostics;
using AuthPlatform.Application.Common.Results;
using Mediator;

namespace AuthPlatform.Application.Common.Behaviours;

/// <summary>
/// One activity (span) per use case, in the source <see cref="ApplicationActivities.SourceName"/>,
/// named after the message type and tagged with its outcome code. Never the message itself: it
/// carries passwords and tokens. With no listener on the source (no tracing configured) the
/// message goes straight on: no activity, no allocation.
/// </summary>
public sealed class TracingBehaviour<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
    where TResponse : IResult<TResponse>
{
    private static readonly string UseCase = typeof(TMessage).Name;
    private static readonly string Kind = typeof(IBaseCommand).IsAssignableFrom(typeof(TMessage)) ? "command" : "query";

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (!ApplicationActivities.Source.HasListeners())
        {
            return next(message, cancellationToken);
        }

        return TraceAsync(message, next, cancellationToken);
    }

    private static async ValueTask<TResponse> TraceAsync(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        using var activity = ApplicationActivities.Source.StartActivity(UseCase, ActivityKind.Internal);
        if (activity is null)
        {
            return await next(message, cancellationToken);
        }

        try
        {
            var response = await next(message, cancellationToken);
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(ApplicationActivities.UseCaseTag, UseCase);
                activity.SetTag(ApplicationActivities.KindTag, Kind);
                activity.SetTag(ApplicationActivities.OutcomeTag, response.IsSuccess ? ApplicationActivities.Success : response.Error!.Code);
            }

            return response;
        }
        catch (Exception e)
        {
            // The type only: an exception's message may quote what the client sent.
            activity.SetTag(ApplicationActivities.UseCaseTag, UseCase);
            activity.SetTag(ApplicationActivities.KindTag, Kind);
            activity.SetTag(ApplicationActivities.OutcomeTag, "exception");
            activity.SetTag("error.type", e.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error);
            throw;
        }
    }
}

/// <summary>The application layer's activity source and the tags of its use-case activities.</summary>
public static class ApplicationActivities
{
    public const string SourceName = "AuthPlatform.Application";
    public const string UseCaseTag = "authplatform.use_case";
    public const string KindTag = "authplatform.use_case.kind";
    public const string OutcomeTag = "authplatform.outcome";
    public const string Success = "success";

    internal static readonly ActivitySource Source = new(SourceName);
}
