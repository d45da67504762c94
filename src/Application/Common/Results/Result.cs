namespace AuthPlatform.Application.Common.Results;

/// <summary>Lets pipeline behaviours build a failed result of any response type.</summary>
public interface IResult<out TSelf>
    where TSelf : IResult<TSelf>
{
    bool IsSuccess { get; }

    /// <summary>
    /// True when the command failed but what it recorded must still be committed: a failed
    /// login's counter and audit event, a reuse detection's revocation. Otherwise a failed
    /// command leaves the database as it was.
    /// </summary>
    bool KeepsChanges { get; }

    Error? Error { get; }

    static abstract TSelf Failure(Error error);
}

/// <summary>
/// The outcome of a use case (or a step of one) that answers nothing but success: success, a
/// failure that changes nothing, or a refusal that keeps what it recorded. A failed
/// <see cref="Result"/> converts to a failed <see cref="Result{T}"/> of any type, so a step's
/// refusal is simply returned by the handler that called it.
/// </summary>
public readonly record struct Result : IResult<Result>
{
    private Result(Error? error, bool keepsChanges)
    {
        Error = error;
        KeepsChanges = keepsChanges;
    }

    public bool IsSuccess => Error is null;

    public bool IsFailure => Error is not null;

    public bool KeepsChanges { get; }

    public Error? Error { get; }

    public static Result Success() => default;

    public static Result Failure(Error error) => new(error ?? throw new ArgumentNullException(nameof(error)), false);

    /// <summary>A failure whose recorded side effects (counters, audit, revocation) are committed.</summary>
    public static Result Refused(Error error) => new(error ?? throw new ArgumentNullException(nameof(error)), true);

    public static implicit operator Result(Error error) => Failure(error);
}

/// <summary>The outcome of a use case: a value, or an expected error with a stable code.</summary>
public readonly record struct Result<T> : IResult<Result<T>>
{
    private readonly T? _value;

    private Result(T? value, Error? error, bool keepsChanges)
    {
        _value = value;
        Error = error;
        KeepsChanges = keepsChanges;
    }

    public bool IsSuccess => Error is null;

    public bool IsFailure => Error is not null;

    public bool KeepsChanges { get; }

    public Error? Error { get; }

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"A failed result has no value ({Error!.Code}).");

    public static Result<T> Success(T value) => new(value, null, false);

    public static Result<T> Failure(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)), false);

    /// <summary>A failure whose recorded side effects (counters, audit, revocation) are committed.</summary>
    public static Result<T> Refused(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)), true);

    /// <summary>This result without its value (a failure keeps its error and whether it keeps changes).</summary>
    public Result WithoutValue() => IsSuccess ? Result.Success() : KeepsChanges ? Result.Refused(Error!) : Result.Failure(Error!);

    /// <summary>This failure answered with another error (a step's error in the use case's words), keeping whether it keeps changes.</summary>
    public Result FailedWith(Error error) =>
        IsSuccess ? throw new InvalidOperationException("Only a failed result can be answered with another error.")
            : KeepsChanges ? Result.Refused(error) : Result.Failure(error);

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(Error error) => Failure(error);

    /// <summary>
    /// A failed step's result as this use case's answer. Converting a success is a bug: a success
    /// of <see cref="Result"/> carries no <typeparamref name="T"/>.
    /// </summary>
    public static implicit operator Result<T>(Result failure) =>
        failure.IsSuccess
            ? throw new InvalidOperationException("Only a failed Result converts to a Result<T>.")
            : new(default, failure.Error, failure.KeepsChanges);
}
