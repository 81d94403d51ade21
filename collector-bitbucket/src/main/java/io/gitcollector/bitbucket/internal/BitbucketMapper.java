package io.gitcollector.bitbucket.internal;

import static io.gitcollector.core.spi.toolkit.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.CiRun;
import io.gitcollector.core.model.Comment;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Deployment;
import io.gitcollector.core.model.FileChange;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.model.Issue;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Release;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.Review;
import io.gitcollector.core.spi.toolkit.JsonFields;
import io.gitcollector.core.spi.toolkit.UpdateTimeWalk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bitbucket Cloud 2.0 shapes to the normalized records. */
final class BitbucketMapper {
  private static final Pattern RAW_AUTHOR = Pattern.compile("^(.*?)\\s*<([^>]*)>\\s*$");

  static final JsonFields FIELDS = new JsonFields("Bitbucket");

  private BitbucketMapper() {}

  /** {@code GET /repositories/{workspace}/{repo_slug}}; Bitbucket counts no stars, forks or open issues here. */
  static Repository repository(JsonNode node) {
    return Repository.builder()
        .platformId(FIELDS.required(node, "uuid").asText())
        .names(FIELDS.required(node, "name").asText(), FIELDS.required(node, "full_name").asText())
        .description(text(node, "description").filter(d -> !d.isBlank()))
        .defaultBranch(node.path("mainbranch").path("name").asText("main"))
        .visibility(node.path("is_private").asBoolean(false) ? "private" : "public")
        .fork(node.hasNonNull("parent"))
        .language(text(node, "language").filter(l -> !l.isBlank()))
        .sizeKb(node.path("size").asLong() / 1024)
        .times(FIELDS.requiredInstant(node, "created_on"), FIELDS.requiredInstant(node, "updated_on"),
            Optional.empty())
        .webUrl(node.path("links").path("html").path("href").asText(""))
        .build();
  }


  /** A repository of a workspace's listing: Bitbucket has no archived repositories and no topics. */
  static DiscoveredRepository discovered(JsonNode node) {
    return new DiscoveredRepository(FIELDS.required(node, "uuid").asText(),
        RepositoryRef.parse(node.path("links").path("html").path("href").asText()), node.hasNonNull("parent"), false,
        node.path("is_private").asBoolean(false) ? "private" : "public", List.of(), node.path("size").asLong() / 1024,
        Optional.empty());
  }

  /** A commit of {@code GET …/commits}, with the totals (and optionally the files) of its diffstat. */
  static Commit commit(JsonNode node, List<JsonNode> diffstat, boolean withFiles) {
    List<String> parents = new ArrayList<>();
    for (JsonNode parent : node.path("parents")) {
      parents.add(parent.path("hash").asText());
    }
    int additions = 0;
    int deletions = 0;
    List<FileChange> files = new ArrayList<>();
    for (JsonNode stat : diffstat) {
      additions += stat.path("lines_added").asInt();
      deletions += stat.path("lines_removed").asInt();
      if (withFiles) {
        String status = stat.path("status").asText("modified");
        Optional<String> oldPath = text(stat.path("old"), "path");
        String path = text(stat.path("new"), "path").or(() -> oldPath).orElse("");
        files.add(new FileChange(path, status, stat.path("lines_added").asInt(), stat.path("lines_removed").asInt(),
            status.equals("renamed") ? oldPath : Optional.empty()));
      }
    }
    GitIdentity author = identity(node.path("author"), FIELDS.requiredInstant(node, "date"));
    JsonNode committerNode = node.path("committer");
    GitIdentity committer = committerNode.isObject() && committerNode.has("raw")
        ? identity(committerNode, author.date()) : author;
    return new Commit(
        FIELDS.required(node, "hash").asText(),
        parents,
        author,
        committer,
        node.path("message").asText(""),
        additions,
        deletions,
        diffstat.size(),
        files,
        node.path("links").path("html").path("href").asText(""));
  }

  /** The author of a commit, by its raw {@code Name <email>} and the account it maps to. */
  static GitIdentity identity(JsonNode author, Instant date) {
    String raw = author.path("raw").asText("");
    Matcher matcher = RAW_AUTHOR.matcher(raw);
    String name = matcher.matches() ? matcher.group(1) : raw;
    String email = matcher.matches() ? matcher.group(2) : "";
    return new GitIdentity(name, email, date, login(author.path("user")));
  }

  /** A pull request with its reviews: approvals and change requests of participants, and comments. */
  static PullRequest pullRequest(JsonNode node, List<JsonNode> comments) {
    String state = node.path("state").asText("OPEN");
    String normalized = switch (state) {
      case "OPEN" -> "open";
      case "MERGED" -> "merged";
      default -> "closed";
    };
    Instant updated = FIELDS.requiredInstant(node, "updated_on");
    List<Review> reviews = new ArrayList<>();
    for (JsonNode participant : node.path("participants")) {
      String participantState = participant.path("state").asText("");
      boolean approved = participant.path("approved").asBoolean(false);
      if (!approved && !participantState.equals("changes_requested")) {
        continue;
      }
      JsonNode user = participant.path("user");
      reviews.add(new Review(
          "participant:" + user.path("uuid").asText(user.path("account_id").asText()),
          login(user),
          approved ? "APPROVED" : "CHANGES_REQUESTED",
          Optional.empty(),
          text(participant, "participated_on").map(FIELDS::instant),
          Optional.empty()));
    }
    for (JsonNode comment : comments) {
      if (comment.path("deleted").asBoolean(false)) {
        continue;
      }
      reviews.add(new Review(
          "comment:" + FIELDS.required(comment, "id").asText(),
          login(comment.path("user")),
          "COMMENTED",
          text(comment.path("content"), "raw"),
          text(comment, "created_on").map(FIELDS::instant),
          Optional.empty()));
    }
    boolean closed = !normalized.equals("open");
    return PullRequest.builder()
        .identity(FIELDS.required(node, "id").asText(), FIELDS.required(node, "id").asLong(), normalized)
        .title(node.path("title").asText(""))
        .author(login(node.path("author")))
        .branches(node.path("source").path("branch").path("name").asText(""),
            node.path("destination").path("branch").path("name").asText(""))
        // Bitbucket reports no merge or close time; the last update of a merged or declined pull request is it
        .times(FIELDS.requiredInstant(node, "created_on"), updated,
            normalized.equals("merged") ? Optional.of(updated) : Optional.empty(),
            closed ? Optional.of(updated) : Optional.empty())
        .mergeCommitSha(text(node.path("merge_commit"), "hash"))
        .draft(node.path("draft").asBoolean(false))
        .reviews(reviews)
        .webUrl(node.path("links").path("html").path("href").asText(""))
        .build();
  }

  /**
   * An issue of Bitbucket's tracker with its comments. Bitbucket's states (new, open, on hold, resolved, invalid,
   * duplicate, wontfix, closed) become open or closed, a closed one's own state its state reason; its kind and
   * component are its labels; Bitbucket reports no close time, so a closed issue's last update is it.
   */
  static Issue issue(JsonNode node, List<JsonNode> comments) {
    String state = node.path("state").asText("new").toLowerCase(java.util.Locale.ROOT);
    boolean open = state.equals("new") || state.equals("open") || state.equals("on hold");
    List<Comment> nested = new ArrayList<>();
    for (JsonNode comment : comments) {
      if (comment.path("deleted").asBoolean(false)) {
        continue;
      }
      Instant created = FIELDS.requiredInstant(comment, "created_on");
      nested.add(new Comment(FIELDS.required(comment, "id").asText(), login(comment.path("user")),
          comment.path("content").path("raw").asText(""), created,
          text(comment, "updated_on").map(FIELDS::instant).orElse(created)));
    }
    List<String> labels = new ArrayList<>();
    text(node, "kind").ifPresent(labels::add);
    text(node.path("component"), "name").ifPresent(labels::add);
    Instant updated = FIELDS.requiredInstant(node, "updated_on");
    return Issue.builder()
        .identity(FIELDS.required(node, "id").asText(), FIELDS.required(node, "id").asLong(),
            open ? "open" : "closed")
        .text(node.path("title").asText(""), text(node.path("content"), "raw"))
        .stateReason(open ? Optional.empty() : Optional.of(state.replace(' ', '_')))
        .people(login(node.path("reporter")), login(node.path("assignee")).stream().toList())
        .labels(labels)
        .milestone(text(node.path("milestone"), "name"))
        .times(FIELDS.requiredInstant(node, "created_on"), updated, open ? Optional.empty() : Optional.of(updated))
        .comments(nested)
        .webUrl(node.path("links").path("html").path("href").asText(""))
        .build();
  }

  /**
   * A tag as a release: the commit it points at, its tagger (or the commit's author, for a lightweight tag), its date
   * (or the commit's) and message. Tags are neither drafts nor pre-releases.
   */
  static Release tag(JsonNode node) {
    String name = FIELDS.required(node, "name").asText();
    JsonNode target = node.path("target");
    Instant date = text(node, "date").or(() -> text(target, "date")).map(FIELDS::instant)
        .orElseThrow(() -> new io.gitcollector.core.model.ProtocolException("Bitbucket tag '" + name
            + "' has no date, nor has its commit"));
    JsonNode who = node.path("tagger").isObject() ? node.path("tagger") : target.path("author");
    return new Release(name, name, name, text(target, "hash"), login(who.path("user"))
        .or(() -> text(who, "raw").map(raw -> RAW_AUTHOR.matcher(raw).matches()
            ? RAW_AUTHOR.matcher(raw).replaceFirst("$1") : raw)), false, false, date, Optional.of(date),
        text(node, "message").filter(message -> !message.isBlank()),
        node.path("links").path("html").path("href").asText(""));
  }

  /**
   * A pipeline. Bitbucket's states (PENDING, IN_PROGRESS, PAUSED, HALTED, COMPLETED with a result: SUCCESSFUL,
   * FAILED, ERROR, STOPPED, EXPIRED) become the normalized ones; its duration leaves out the time queued; a re-run is
   * its next run number.
   */
  static CiRun pipeline(JsonNode node, io.gitcollector.core.model.RepositoryRef repository) {
    String state = node.path("state").path("name").asText("PENDING");
    String result = node.path("state").path("result").path("name").asText("");
    String normalized = switch (state) {
      case "IN_PROGRESS" -> "running";
      case "COMPLETED" -> switch (result) {
        case "SUCCESSFUL" -> "success";
        case "STOPPED" -> "cancelled";
        default -> "failure";
      };
      default -> "queued";
    };
    Instant created = FIELDS.requiredInstant(node, "created_on");
    Optional<Instant> finished = text(node, "completed_on").map(FIELDS::instant);
    JsonNode target = node.path("target");
    String buildNumber = node.path("build_number").asText("");
    return new CiRun(FIELDS.required(node, "uuid").asText(), text(target.path("selector"), "pattern")
        .orElse(target.path("selector").path("type").asText("default")),
        node.path("trigger").path("name").asText("").toLowerCase(java.util.Locale.ROOT),
        FIELDS.required(target.path("commit"), "hash").asText(), text(target, "ref_name"), normalized,
        result.isEmpty() ? state : state + "/" + result, Math.max(1, node.path("run_number").asInt(1)), created,
        state.equals("PENDING") ? Optional.empty() : Optional.of(created), finished, node.path("duration_in_seconds").isNumber()
            ? Optional.of(node.path("duration_in_seconds").asLong()) : Optional.empty(),
        finished.orElse(created), "https://bitbucket.org/" + text(node.path("repository"), "full_name")
            .orElse(repository.path()) + "/pipelines/results/" + buildNumber);
  }

  /** What changes as a pipeline moves on or runs again. */
  static String pipelineVersion(JsonNode node) {
    return node.path("state").path("name").asText() + "|" + node.path("state").path("result").path("name").asText()
        + "|" + node.path("run_number").asInt(1) + "|" + node.path("completed_on").asText();
  }

  /**
   * A deployment: UNDEPLOYED is pending, IN_PROGRESS in progress, COMPLETED its status (SUCCESSFUL success, FAILED
   * failure, STOPPED inactive). Bitbucket keeps no status history: the state it has now is the one in the history.
   * Its time is its release's creation; it changed last when it completed, else when it started.
   */
  static Deployment deployment(JsonNode node, Map<String, String> environments,
      io.gitcollector.core.model.RepositoryRef repository) {
    JsonNode state = node.path("state");
    String name = state.path("name").asText("UNDEPLOYED");
    String status = state.path("status").path("name").asText("");
    String normalized = switch (name) {
      case "IN_PROGRESS" -> "in_progress";
      case "COMPLETED" -> switch (status) {
        case "SUCCESSFUL" -> "success";
        case "STOPPED" -> "inactive";
        default -> "failure";
      };
      default -> "pending";
    };
    JsonNode release = node.path("release");
    Instant created = text(release, "created_on").map(FIELDS::instant)
        .or(() -> text(state, "start_date").map(FIELDS::instant))
        .orElseThrow(() -> new io.gitcollector.core.model.ProtocolException("Bitbucket deployment "
            + node.path("uuid").asText() + " has neither a release time nor a start"));
    Optional<Instant> changed = text(state, "completion_date").or(() -> text(state, "start_date")).map(FIELDS::instant);
    String platformState = status.isEmpty() ? name : name + "/" + status;
    String environment = node.path("environment").path("uuid").asText("");
    return new Deployment(FIELDS.required(node, "uuid").asText(), environments.getOrDefault(environment,
        text(node.path("environment"), "name").orElse(environment)), FIELDS.required(release.path("commit"), "hash")
        .asText(), Optional.empty(), login(state.path("deployer")), normalized, platformState, changed,
        List.of(new Deployment.Status(normalized, platformState, changed.orElse(created), Optional.empty())), created,
        changed.orElse(created), text(state, "url").orElse("https://bitbucket.org/" + repository.path()
            + "/deployments"));
  }

  /** What changes as a deployment moves on. */
  static String deploymentVersion(JsonNode node) {
    JsonNode state = node.path("state");
    return state.path("name").asText() + "|" + state.path("status").path("name").asText() + "|"
        + state.path("completion_date").asText() + "|" + state.path("start_date").asText();
  }

  /** What changes when a tag is moved or re-created. */
  static String tagVersion(JsonNode node) {
    return node.path("target").path("hash").asText() + "|" + node.path("date").asText() + "|"
        + node.path("message").asText().hashCode();
  }

  /** A pull request's id and update time, for the walk by update time. */
  static UpdateTimeWalk.Stamp stamp(JsonNode pullRequest) {
    return new UpdateTimeWalk.Stamp(FIELDS.required(pullRequest, "id").asLong(),
        FIELDS.requiredInstant(pullRequest, "updated_on"));
  }

  static Optional<String> login(JsonNode account) {
    return text(account, "nickname").or(() -> text(account, "display_name"));
  }
}
