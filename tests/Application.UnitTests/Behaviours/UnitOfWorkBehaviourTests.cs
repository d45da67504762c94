using AuthPlatform.Application.Auth.GetJwks;
using AuthPlatform.Application.Auth.Logout;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Behaviours;

public sealed class UnitOfWorkBehaviourTests
{
    private readonly IUnitOfWork _unitOfWork = Substitute.For<IUnitOfWork>();
    private readonly IAsyncDisposable _transaction = Substitute.For<IAsyncDisposable>();

    public UnitOfWorkBehaviourTests()
    {
        _unitOfWork.BeginTransactionAsync(Arg.Any<CancellationToken>()).Returns(_transaction);
        _unitOfWork.DeferTransaction().Returns(_transaction);
    }

    private Task<Result> RunCommand(Result outcome) =>
        new UnitOfWorkBehaviour<LogoutCommand, Result>(_unitOfWork)
            .Handle(new LogoutCommand("token"), (_, _) => ValueTask.FromResult(outcome), CancellationToken.None).AsTask();

    private static readonly Error Refusal = new(ErrorCodes.InvalidCredentials, "no");

    [Fact]
    public async Task Handle_CommandSucceeds_SavesAndCommits()
    {
        var result = await RunCommand(Result.Success());

        Assert.True(result.IsSuccess);
        Received.InOrder(() =>
        {
            _unitOfWork.BeginTransactionAsync(Arg.Any<CancellationToken>());
            _unitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>());
            _unitOfWork.CommitAsync(Arg.Any<CancellationToken>());
        });
        await _unitOfWork.DidNotReceive().RollbackAsync(Arg.Any<CancellationToken>());
        _unitOfWork.DidNotReceive().DiscardChanges();
        await _transaction.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task Handle_CommandFails_DiscardsAndRollsBackWithoutCommit()
    {
        var result = await RunCommand(Refusal);

        Assert.Same(Refusal, result.Error);
        Received.InOrder(() =>
        {
            _unitOfWork.BeginTransactionAsync(Arg.Any<CancellationToken>());
            _unitOfWork.DiscardChanges();
            _unitOfWork.RollbackAsync(Arg.Any<CancellationToken>());
        });
        await _unitOfWork.DidNotReceive().SaveChangesAsync(Arg.Any<CancellationToken>());
        await _unitOfWork.DidNotReceive().CommitAsync(Arg.Any<CancellationToken>());
        await _transaction.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task Handle_CommandRefusedKeepingChanges_SavesAndCommits()
    {
        var result = await RunCommand(Result.Refused(Refusal));

        Assert.False(result.IsSuccess);
        Assert.True(result.KeepsChanges);
        await _unitOfWork.Received(1).SaveChangesAsync(Arg.Any<CancellationToken>());
        await _unitOfWork.Received(1).CommitAsync(Arg.Any<CancellationToken>());
        await _unitOfWork.DidNotReceive().RollbackAsync(Arg.Any<CancellationToken>());
        _unitOfWork.DidNotReceive().DiscardChanges();
    }

    [Fact]
    public void Behaviour_AcceptsCommandsOnly_SoQueriesNeverOpenATransaction()
    {
        // The constraint keeps queries (GET /verify among them) out of the behaviour at compile
        // time: the generated mediator never wraps them, so no database context is built.
        var message = typeof(UnitOfWorkBehaviour<,>).GetGenericArguments()[0];

        Assert.Contains(typeof(Mediator.IBaseCommand), message.GetGenericParameterConstraints());
        Assert.False(typeof(Mediator.IBaseCommand).IsAssignableFrom(typeof(GetJwksQuery)));
    }

    [Fact]
    public async Task Handle_HandlerThrows_PropagatesAndNeverCommits()
    {
        var behaviour = new UnitOfWorkBehaviour<LogoutCommand, Result>(_unitOfWork);

        await Assert.ThrowsAsync<InvalidOperationException>(() => behaviour.Handle(
            new LogoutCommand("token"), (_, _) => throw new InvalidOperationException("bug"), CancellationToken.None).AsTask());

        await _unitOfWork.DidNotReceive().SaveChangesAsync(Arg.Any<CancellationToken>());
        await _unitOfWork.DidNotReceive().CommitAsync(Arg.Any<CancellationToken>());
        await _transaction.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task Handle_SaveThrowsConflict_PropagatesWithoutCommit()
    {
        _unitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>())
            .Returns(Task.FromException(new DuplicateKeyException("dup", new InvalidOperationException())));

        await Assert.ThrowsAsync<DuplicateKeyException>(() => RunCommand(Result.Success()));

        await _unitOfWork.DidNotReceive().CommitAsync(Arg.Any<CancellationToken>());
        await _transaction.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task Handle_CommandSavingWithoutAmbientTransaction_RunsTheHandlerBeforeAnyTransactionThenSavesInOne()
    {
        // Login hashes a password: no transaction (so no SQLite write lock) may be open meanwhile.
        var behaviour = new UnitOfWorkBehaviour<AuthPlatform.Application.Auth.Login.LoginCommand, Result<AuthPlatform.Application.Auth.Login.LoginResponse>>(_unitOfWork);
        var transactionStartedBeforeHandler = true;
        _unitOfWork.HasPendingChanges.Returns(true); // the failure's counter and audit event

        var result = await behaviour.Handle(
            new AuthPlatform.Application.Auth.Login.LoginCommand("a@example.com", "password here"),
            (_, _) =>
            {
                transactionStartedBeforeHandler = _unitOfWork.ReceivedCalls().Any(c => c.GetMethodInfo().Name is nameof(IUnitOfWork.StartWritesAsync) or nameof(IUnitOfWork.BeginTransactionAsync));
                return ValueTask.FromResult(Result<AuthPlatform.Application.Auth.Login.LoginResponse>.Refused(new Error(ErrorCodes.InvalidCredentials, "no")));
            },
            CancellationToken.None);

        Assert.True(result.KeepsChanges);
        Assert.False(transactionStartedBeforeHandler);
        await _unitOfWork.DidNotReceiveWithAnyArgs().BeginTransactionAsync(default);
        Received.InOrder(() =>
        {
            _unitOfWork.DeferTransaction();
            _unitOfWork.StartWritesAsync(Arg.Any<CancellationToken>());
            _unitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>());
            _unitOfWork.CommitAsync(Arg.Any<CancellationToken>());
        });
        await _transaction.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task Handle_CommandSavingWithoutAmbientTransactionThrows_DisposesTheDeferredScopeSoWhatOpenedRollsBack()
    {
        var behaviour = new UnitOfWorkBehaviour<AuthPlatform.Application.Auth.Login.LoginCommand, Result<AuthPlatform.Application.Auth.Login.LoginResponse>>(_unitOfWork);

        await Assert.ThrowsAsync<InvalidOperationException>(() => behaviour.Handle(
            new AuthPlatform.Application.Auth.Login.LoginCommand("a@example.com", "password here"),
            (_, _) => throw new InvalidOperationException("bug"),
            CancellationToken.None).AsTask());

        await _unitOfWork.DidNotReceiveWithAnyArgs().CommitAsync(default);
        await _transaction.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task Handle_CommandSavingWithoutAmbientTransactionFails_DiscardsWithoutSaving()
    {
        var behaviour = new UnitOfWorkBehaviour<AuthPlatform.Application.Auth.Login.LoginCommand, Result<AuthPlatform.Application.Auth.Login.LoginResponse>>(_unitOfWork);

        await behaviour.Handle(
            new AuthPlatform.Application.Auth.Login.LoginCommand("a@example.com", "password here"),
            (_, _) => ValueTask.FromResult(Result<AuthPlatform.Application.Auth.Login.LoginResponse>.Failure(Error.Validation("email", "bad"))),
            CancellationToken.None);

        await _unitOfWork.DidNotReceiveWithAnyArgs().BeginTransactionAsync(default);
        await _unitOfWork.DidNotReceiveWithAnyArgs().StartWritesAsync(default);
        await _unitOfWork.DidNotReceiveWithAnyArgs().SaveChangesAsync(default);
        _unitOfWork.Received(1).DiscardChanges();
        await _unitOfWork.Received(1).RollbackAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_CommandSavingWithoutAmbientTransactionWithNothingPending_OpensNoTransactionAndSavesNothing()
    {
        // A successful token grant changes and raises nothing: it must not write (ADR 0014).
        var behaviour = new UnitOfWorkBehaviour<
            AuthPlatform.Application.OAuth.IssueClientCredentialsToken.IssueClientCredentialsTokenCommand,
            Result<AuthPlatform.Application.OAuth.Common.TokenResponse>>(_unitOfWork);
        _unitOfWork.HasPendingChanges.Returns(false);

        var result = await behaviour.Handle(
            new(new AuthPlatform.Application.OAuth.Common.ClientCredentialsInput(null, "sa_x", "s"), null),
            (_, _) => ValueTask.FromResult(Result<AuthPlatform.Application.OAuth.Common.TokenResponse>.Success(new("t", "Bearer", 3600, "profile"))),
            CancellationToken.None);

        Assert.True(result.IsSuccess);
        await _unitOfWork.DidNotReceiveWithAnyArgs().BeginTransactionAsync(default);
        await _unitOfWork.DidNotReceiveWithAnyArgs().StartWritesAsync(default);
        await _unitOfWork.DidNotReceiveWithAnyArgs().SaveChangesAsync(default);
        await _unitOfWork.Received(1).CommitAsync(Arg.Any<CancellationToken>()); // after-commit work still runs
    }
}
