package io.automatix.process;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.scheduler.JobStatus;

/**
 * Decodes what a job wrapper pushes to {@code automatix.job-status}:
 * {@code {"job": "<name>", "event": "started"}} or
 * {@code {"job": "<name>", "event": "finished", "exit_code": 0}}, each with an optional
 * {@code "at"} (seconds since the epoch) and {@code "scheduler_job_id"}. Anything else is refused with the reason.
 *
 * <p>What the listener applies must also be signed ({@link #verified}): the body names the key it was
 * signed with ({@code "key"}: its script's name, see {@link StatusKeys}), the {@code automatix-mac}
 * header is the body's HMAC with that key, and {@code "at"} is there and not ahead of the router's
 * clock by more than {@link #SKEW}. A replay of a genuine message changes nothing: the job's name
 * carries its attempt, and the transitions are guarded (apply-statuses.sql).
 */
public final class JobStatusMessage {

    private static final int MAX_BYTES = 4096;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,299}");
    private static final Set<String> FIELDS = Set.of("job", "event", "exit_code", "at", "scheduler_job_id", "key");
    /** How far ahead of the router's clock a job's clock may be. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private static final Pattern JOB_ID = Pattern.compile("[0-9][0-9_.]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(4).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"job":"a","job":"b"}: which one counts would be a guess, so it is refused
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JobStatusMessage() {}

    /**
     * A signed message's status.
     *
     * @param mac the {@code automatix-mac} header (null: there is none)
     * @throws IllegalArgumentException saying what is wrong, without a word of the key
     */
    public static JobStatus verified(byte[] body, String mac, StatusKeys keys, Instant now) {
        JobStatus status = decode(body);
        JsonNode key;
        try {
            key = JSON.readTree(body).get("key");
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (key == null || !key.isTextual() || !NAME.matcher(key.asText()).matches()) {
            throw new IllegalArgumentException(
                    "key: must name the job whose key signed the message (unsigned report of " + status.job() + ")");
        }
        if (mac == null || mac.isBlank()) {
            throw new IllegalArgumentException(
                    "no " + StatusKeys.MAC_HEADER + " header: the report of " + status.job() + " is not signed");
        }
        if (!keys.verifies(key.asText(), body, mac)) {
            throw new IllegalArgumentException(StatusKeys.MAC_HEADER + " does not match: the report of " + status.job()
                    + " was not signed with the key of " + key.asText());
        }
        if (!StatusKeys.mayReport(key.asText(), status.job())) {
            throw new IllegalArgumentException("the key of " + key.asText() + " may not report for " + status.job());
        }
        if (status.at() == null) {
            throw new IllegalArgumentException("at: a signed report says when (" + status.job() + ")");
        }
        if (status.at().isAfter(now.plus(SKEW))) {
            throw new IllegalArgumentException("at: " + status.at() + " is ahead of this router's clock by more than "
                    + SKEW.toMinutes() + " minutes (" + status.job() + ")");
        }
        return status;
    }

    private static final Pattern DOCTOR_PING = Pattern.compile("\\{\"doctor\":\"automatix-doctor-[0-9]{1,19}\"\\}");

    /** Whether this is {@code automatix doctor}'s test job's ping (it says nothing of any job). */
    public static boolean isDoctorPing(byte[] body) {
        return body != null
                && body.length < 100
                && DOCTOR_PING
                        .matcher(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                        .matches();
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static JobStatus decode(byte[] body) {
        if (body == null) {
            throw new IllegalArgumentException("no message body");
        }
        if (body.length > MAX_BYTES) {
            throw new IllegalArgumentException("message of " + body.length + " bytes (at most " + MAX_BYTES + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "'");
            }
        }
        JsonNode job = root.get("job");
        if (job == null || !job.isTextual() || !NAME.matcher(job.asText()).matches()) {
            throw new IllegalArgumentException("job: must be a job name");
        }
        Instant at = null;
        JsonNode atNode = root.get("at");
        if (atNode != null) {
            if (!atNode.isNumber() || atNode.asDouble() < 0 || atNode.asDouble() > 1e11) {
                throw new IllegalArgumentException("at: must be seconds since the epoch");
            }
            BigDecimal seconds = atNode.decimalValue();
            at = Instant.ofEpochSecond(
                    seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        String schedulerJobId = null;
        JsonNode idNode = root.get("scheduler_job_id");
        if (idNode != null && !(idNode.isTextual() && idNode.asText().isEmpty())) {
            if (!idNode.isTextual() || !JOB_ID.matcher(idNode.asText()).matches()) {
                throw new IllegalArgumentException("scheduler_job_id: must be a scheduler job id");
            }
            schedulerJobId = idNode.asText();
        }
        JsonNode event = root.get("event");
        JsonNode code = root.get("exit_code");
        String e = event == null ? "" : event.asText();
        if ("started".equals(e) && code == null) {
            return new JobStatus(job.asText(), JobStatus.Event.STARTED, null, "pushed", at, schedulerJobId);
        }
        if ("finished".equals(e)) {
            if (code == null
                    || !code.canConvertToInt()
                    || !code.isIntegralNumber()
                    || code.asInt() < 0
                    || code.asInt() > 255) {
                throw new IllegalArgumentException("exit_code: must be a number from 0 to 255");
            }
            return new JobStatus(job.asText(), JobStatus.Event.FINISHED, code.asInt(), "pushed", at, schedulerJobId);
        }
        throw new IllegalArgumentException("event: must be 'started' or 'finished' (with exit_code)");
    }
}
