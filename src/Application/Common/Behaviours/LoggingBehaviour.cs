using System.Diagnostics;
using AuthPlatform.Application.Common.Results;
using Mediator;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Application.Common.Behaviours;

/// <summary>
/// Logs each use case's name, outcome code and duration. Never the message itself: it carries
/// passwords and tokens (LOG-02).
/// </summary>
public sealed partial class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
    where TResponse : IResult<TResponse>
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await next(message, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.IsSuccess)
        {
            LogSucceeded(logger, typeof(TMessage).Name, elapsed);
        }
        else
        {
            LogFailed(logger, typeof(TMessage).Name, response.Error!.Code, elapsed);
        }

        return response;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{UseCase} succeeded in {ElapsedMs:0.0} ms")]
    private static partial void LogSucceeded(ILogger logger, string useCase, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{UseCase} failed with {Code} in {ElapsedMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, string useCase, string code, double elapsedMs);
}
