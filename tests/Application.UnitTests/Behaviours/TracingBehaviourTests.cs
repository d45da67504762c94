using System.Diagnostics;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using Mediator;

namespace AuthPlatform.Application.UnitTests.Behaviours;

public sealed class TracingBehaviourTests : IDisposable
{
    private const string Secret = "correct horse battery staple (secret)";

    private readonly List<Activity> _stopped = [];
    private ActivityListener? _listener;

    /// <summary>A use case whose message carries a password, as the sign-in commands do.</summary>
    public sealed record TracedSecretCommand(string Email, string Password) : ICommand<Result>;

    private static readonly TracedSecretCommand Message = new("someone@example.com", Secret);

    private void Listen() => ActivitySource.AddActivityListener(_listener = new ActivityListener
    {
        ShouldListenTo = source => source.Name == ApplicationActivities.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        ActivityStopped = activity =>
        {
            if (activity.OperationName == nameof(TracedSecretCommand))
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            }
        },
    });

    private static ValueTask<Result> Handle(Func<Result> handler) =>
        new TracingBehaviour<TracedSecretCommand, Result>().Handle(Message, (_, _) => ValueTask.FromResult(handler()), CancellationToken.None);

    public void Dispose() => _listener?.Dispose();

    [Fact]
    public async Task Handle_WithAListener_RecordsOneActivityNamedAfterTheUseCaseWithItsOutcome()
    {
        Listen();
        Activity? current = null;

        await Handle(() =>
        {
            current = Activity.Current;
            return Result.Success();
        });

        var activity = Assert.Single(_stopped);
        Assert.Same(activity, current); // the handler runs inside it
        Assert.Equal(nameof(TracedSecretCommand), activity.DisplayName);
        Assert.Equal(ActivityKind.Internal, activity.Kind);
        Assert.Equal(nameof(TracedSecretCommand), activity.GetTagItem(ApplicationActivities.UseCaseTag));
        Assert.Equal("command", activity.GetTagItem(ApplicationActivities.KindTag));
        Assert.Equal("success", activity.GetTagItem(ApplicationActivities.OutcomeTag));
    }

    [Fact]
    public async Task Handle_RefusedUseCase_TagsTheErrorCodeAndNothingFromTheMessage()
    {
        Listen();

        var result = await Handle(() => Result.Refused(new Error(ErrorCodes.InvalidCredentials, "The email address or password is incorrect.")));

        Assert.True(result.IsFailure);
        var activity = Assert.Single(_stopped);
        Assert.Equal(ErrorCodes.InvalidCredentials, activity.GetTagItem(ApplicationActivities.OutcomeTag));
        var recorded = string.Join(
            '\n',
            activity.TagObjects.Select(t => $"{t.Key}={t.Value}")
                .Concat(activity.Events.Select(e => e.Name))
                .Concat(activity.Baggage.Select(b => $"{b.Key}={b.Value}"))
                .Append(activity.DisplayName));
        Assert.DoesNotContain(Secret, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(Message.Email, recorded, StringComparison.Ordinal);
        Assert.Equal(3, activity.TagObjects.Count()); // use case, kind, outcome: nothing else
    }

    [Fact]
    public async Task Handle_HandlerThrows_MarksTheActivityFailedWithTheExceptionTypeOnly()
    {
        Listen();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Handle(() => throw new InvalidOperationException($"bad input {Secret}")).AsTask());

        var activity = Assert.Single(_stopped);
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, activity.GetTagItem("error.type"));
        Assert.DoesNotContain(activity.TagObjects, t => t.Value?.ToString()?.Contains(Secret, StringComparison.Ordinal) == true);
        Assert.Null(activity.StatusDescription);
    }

    [Fact]
    public async Task Handle_WithoutAListener_CreatesNoActivity()
    {
        Activity? current = new("not replaced");

        var result = await Handle(() =>
        {
            current = Activity.Current;
            return Result.Success();
        });

        Assert.True(result.IsSuccess);
        Assert.Null(current);
        Assert.Empty(_stopped);
    }
}
