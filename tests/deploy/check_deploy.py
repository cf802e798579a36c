#!/usr/bin/env python3
"""check_deploy.py SOURCE_DIR NARRATE: keeps deploy/ honest without a cluster or a container engine.

- Every YAML file in deploy/k8s parses, and kustomization.yaml lists each manifest.
- Each narrate command and option the manifests and deploy/Containerfile pass exists: it is
  checked against `narrate COMMAND --help` of the narrate under test.
- The probes ask the server's documented paths (/readyz, /healthz) on the container's port, which
  is the one --listen names and the Containerfile exposes; the Service and the autoscaler point at
  the Deployment; the grace period outlasts --grace; -j matches the CPU limit; the tokens Secret is
  mounted where --tokens looks, and its example holds a placeholder, never a token.
- The Indexed Job's completions equal the N of --shard auto/N, and its paths are on its volumes.
- The Containerfile builds with setup.sh's build mode, copies narrate from where `cmake --install`
  puts it, runs as a user of its own, and installs only packages setup.sh lists: its runtime stage
  exactly setup.sh's runtime_packages, which provide every library the built narrate links
  (readelf, ldd and dpkg -S).
- What running the image showed (deploy/try-container does that with podman): the build tree is
  outside the copied sources (a host's build/ in the context makes CMake refuse its cache); USER is
  a numeric UID:GID that the image creates as that user and that group, and the pods run as it; the
  pods name the image with a pull policy under which a local image is used; and a read-only root
  file system comes with a writable /tmp (narrate batch writes its log there).

Prints every failure and exits 1; exits 77 (skipped) without PyYAML.
"""
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:
    print("SKIP: PyYAML is missing (Debian's python3-yaml; setup.sh test installs it)")
    sys.exit(77)

SERVER_PATHS = {"readiness": "/readyz", "liveness": "/healthz"}  # narrate serve's, as documented
BASE_IMAGE = "debian:bookworm-slim"
BASE_PACKAGES = {"libc6", "libgcc-s1"}  # in every Debian image: essential
failures = []
notes = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


# --- narrate's own commands and options ---

help_cache = {}


def narrate_options(narrate, command):
    """The options `narrate COMMAND --help` lists, or None when narrate has no such command."""
    if command not in help_cache:
        run = subprocess.run([narrate, command, "--help"], capture_output=True, text=True,
                             timeout=30)
        text = run.stdout + run.stderr
        # An unknown word is read as an article (`narrate ARTICLE` is `narrate speak ARTICLE`):
        # the help is then speak's, whose usage line names speak.
        known = run.returncode == 0 and f"Usage: narrate {command} " in text
        help_cache[command] = (set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", text))
                               if known else None)
    return help_cache[command]


def option_value(args, option):
    for i, arg in enumerate(args[:-1]):
        if arg == option:
            return args[i + 1]
    return None


def check_invocation(narrate, where, args):
    """narrate ARGS as `where` runs it: the command and each option must exist."""
    if not check(args, f"{where}: no narrate command given"):
        return
    command = args[0]
    options = narrate_options(narrate, command)
    if options is None:
        if command == "serve":
            # `narrate serve` lands with the server's own work; until this tree has it, its
            # options cannot be checked here.
            notes.append(f"{where}: this narrate has no serve command; its options were not "
                         f"checked: {' '.join(a for a in args if a.startswith('-'))}")
            return
        failures.append(f"{where}: narrate has no command '{command}' ({' '.join(args)})")
        return
    for arg in args[1:]:
        if arg.startswith("-") and not re.fullmatch(r"-\d+(\.\d+)?", arg):
            check(arg in options,
                  f"{where}: narrate {command} has no option {arg} (see narrate {command} --help)")


# --- setup.sh and the Containerfile ---

def bash_arrays(text):
    """Every NAME=( ... ) and NAME+=( ... ) in setup.sh, comments left out."""
    arrays = {}
    for name, body in re.findall(r"^\s*(\w+)\+?=\(([^)]*)\)", text, re.M):
        words = re.sub(r"#[^\n]*", "", body).split()
        arrays.setdefault(name, []).extend(words)
    return arrays


def containerfile_instructions(text):
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments left out."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    result = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            result.append((word.upper(), rest.strip()))
    return result


def apt_packages(run):
    packages = []
    for part in re.findall(r"apt-get install((?:\s+[^&|;]+)?)", run):
        packages += [word for word in part.split() if not word.startswith("-")]
    return packages


def linked_packages(narrate):
    """The Debian packages that provide the libraries narrate links directly, or None."""
    if not all(shutil.which(tool) for tool in ("readelf", "ldd", "dpkg")):
        return None
    dynamic = subprocess.run(["readelf", "-d", narrate], capture_output=True, text=True).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)
    ldd = subprocess.run(["ldd", narrate], capture_output=True, text=True).stdout
    paths = dict(re.findall(r"^\s*(\S+) => (\S+)", ldd, re.M))
    # Each library by the path the loader found and by its real path, in /lib and /usr/lib
    # (dpkg knows a file by the name its package ships, before or after the /usr merge).
    names = {}
    for library in needed:
        if library not in paths:
            continue  # the loader itself
        for path in (paths[library], os.path.realpath(paths[library])):
            names[path] = library
            names[re.sub(r"^/usr/lib/", "/lib/", path)] = library
            names[re.sub(r"^/lib/", "/usr/lib/", path)] = library
    # One dpkg -S for all of them (each call reads dpkg's whole file list).
    owners = subprocess.run(["dpkg", "-S", *names], capture_output=True, text=True).stdout
    packages = {}
    for package, path in re.findall(r"^([^:\s]+)(?::\S+)?: (\S+)$", owners, re.M):
        if path in names:
            packages[names[path]] = package
    for library in needed:
        check(library not in paths or library in packages,
              f"no Debian package provides {paths.get(library)} ({library})")
    return packages


def check_containerfile(source, narrate, setup_arrays):
    path = os.path.join(source, "deploy", "Containerfile")
    instructions = containerfile_instructions(open(path, encoding="utf-8").read())
    stages = []
    for word, rest in instructions:
        if word == "FROM":
            stages.append([])
        elif stages:
            stages[-1].append((word, rest))
    froms = [rest.split()[0] for word, rest in instructions if word == "FROM"]
    check(len(froms) >= 2, "Containerfile: not multi-stage (a build stage and a runtime stage)")
    check(all(image == BASE_IMAGE for image in froms),
          f"Containerfile: every stage must be FROM {BASE_IMAGE}, not {froms}")
    build_runs = " ".join(rest for word, rest in stages[0] if word == "RUN") if stages else ""
    check("bash setup.sh build" in build_runs,
          "Containerfile: the build stage must build with `bash setup.sh build`")
    setup = open(os.path.join(source, "setup.sh"), encoding="utf-8").read()
    check(re.search(r"^\s*build\)", setup, re.M), "setup.sh has no build mode")
    check_build_tree(stages[0] if stages else [], build_runs, setup)
    prefix = re.search(r"cmake --install \S+ --prefix (\S+)", build_runs)
    install_rules = open(os.path.join(source, "cmake", "NarratorInstall.cmake"),
                         encoding="utf-8").read()
    check("install(TARGETS narrate RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})" in install_rules,
          "cmake --install no longer puts narrate in bin/: update the Containerfile's COPY")
    runtime = stages[-1] if stages else []
    copies = [rest for word, rest in runtime if word == "COPY" and "--from=" in rest]
    if check(prefix, "Containerfile: the build stage must lay narrate out with cmake --install "
                     "--prefix"):
        check(any(f"{prefix.group(1)}/bin/narrate " in copy + " " for copy in copies),
              f"Containerfile: no COPY of {prefix.group(1)}/bin/narrate into the runtime stage")

    listed = set()
    for name in ("packages", "test_packages", "runtime_packages"):
        listed |= set(setup_arrays.get(name, []))
    all_apt = [p for word, rest in instructions if word == "RUN" for p in apt_packages(rest)]
    for package in all_apt:
        check(package in listed, f"Containerfile installs {package}, which setup.sh does not list")
    runtime_apt = {p for word, rest in runtime if word == "RUN" for p in apt_packages(rest)}
    check(runtime_apt == set(setup_arrays.get("runtime_packages", [])),
          "Containerfile: the runtime stage must install exactly setup.sh's runtime_packages "
          f"(differ: {sorted(runtime_apt ^ set(setup_arrays.get('runtime_packages', [])))})")
    linked = linked_packages(narrate)
    if linked is None:
        notes.append("readelf, ldd or dpkg is missing: the runtime libraries were not checked")
    else:
        for library, package in sorted(linked.items()):
            check(package in runtime_apt or package in BASE_PACKAGES,
                  f"narrate links {library} from {package}, which the runtime stage does not "
                  f"install: add it to setup.sh's runtime_packages and the Containerfile")

    user = [rest for word, rest in runtime if word == "USER"]
    check(user and user[-1].split(":")[0] not in ("root", "0"),
          "Containerfile: the runtime stage must run as a user of its own (USER)")
    image_user = check_image_user(runtime, user[-1] if user else "")
    entrypoint = [json.loads(rest) for word, rest in runtime if word == "ENTRYPOINT"]
    check(entrypoint == [["narrate"]], 'Containerfile: ENTRYPOINT must be ["narrate"]')
    cmd = [json.loads(rest) for word, rest in runtime if word == "CMD"]
    exposed = [rest.split("/")[0] for word, rest in runtime if word == "EXPOSE"]
    if check(cmd, "Containerfile: no CMD"):
        check_invocation(narrate, "Containerfile CMD", cmd[-1])
        check(cmd[-1][0] == "serve", "Containerfile: CMD must run serve")
        listen = option_value(cmd[-1], "--listen") or ""
        check(exposed and listen.rsplit(":", 1)[-1] == exposed[-1],
              f"Containerfile: EXPOSE {exposed} is not the --listen port ({listen})")
        check(option_value(cmd[-1], "--tokens") is not None,
              "Containerfile: serve on a non-loopback address needs --tokens")
    return (cmd[-1] if cmd else []), image_user


def command_words(runs, command):
    """The arguments of each `command ...` in the RUN text, up to the next && ; or |."""
    return [part.split() for part in re.findall(rf"\b{command}((?:\s+[^&;|\s]+)+)", runs)]


def flag_value(words, *flags):
    for i, word in enumerate(words[:-1]):
        if word in flags:
            return words[i + 1]
    return None


def check_build_tree(build_stage, build_runs, setup):
    """setup.sh build's tree must be outside the sources COPY brings in: a builder that does not
    read deploy/Containerfile.dockerignore copies the host's build/ along, and CMake then refuses
    its CMakeCache.txt (made in another directory)."""
    workdir = "/"
    context_dirs = []
    for word, rest in build_stage:
        if word == "WORKDIR":
            workdir = posixpath.join(workdir, rest)
        elif word == "COPY" and "--from=" not in rest:
            words = [w for w in rest.split() if not w.startswith("--")]
            if "." in words[:-1]:
                context_dirs.append(posixpath.normpath(posixpath.join(workdir, words[-1])))
    check("NARRATOR_BUILD_DIR" in setup, "setup.sh no longer reads NARRATOR_BUILD_DIR")
    tree = re.search(r"NARRATOR_BUILD_DIR=(\S+)\s+bash setup.sh build", build_runs)
    if not check(tree and tree.group(1).startswith("/"),
                 "Containerfile: give `bash setup.sh build` an absolute NARRATOR_BUILD_DIR "
                 "outside the copied sources (a host's build/ that reaches the context makes "
                 "CMake refuse its CMakeCache.txt)"):
        return
    tree = posixpath.normpath(tree.group(1))
    for folder in context_dirs:
        check(tree != folder and not tree.startswith(folder.rstrip("/") + "/"),
              f"Containerfile: NARRATOR_BUILD_DIR {tree} is inside the sources copied to {folder}")
    install = re.search(r"cmake --install (\S+)", build_runs)
    check(install and posixpath.normpath(install.group(1)) == tree,
          f"Containerfile: cmake --install must read the build tree NARRATOR_BUILD_DIR names "
          f"({tree})")


def check_image_user(runtime, user):
    """USER must be a numeric UID:GID (Kubernetes' runAsNonRoot cannot verify a name), made by the
    image as that user with that group: useradd --user-group gives the group a system GID of its
    own, so files and the pods' runAsGroup would disagree with it. Returns (uid, gid) or None."""
    uid, _, gid = user.partition(":")
    if not check(uid.isdigit() and gid.isdigit(),
                 f"Containerfile: USER must be a numeric UID:GID, not '{user}'"):
        return None
    runs = " ".join(rest for word, rest in runtime if word == "RUN")
    groups = {}
    for words in command_words(runs, "groupadd"):
        names = [w for i, w in enumerate(words)
                 if not w.startswith("-") and (i == 0 or not words[i - 1].startswith("-"))]
        if names and flag_value(words, "--gid", "-g"):
            groups[names[-1]] = flag_value(words, "--gid", "-g")
    users = [words for words in command_words(runs, "useradd")
             if flag_value(words, "--uid", "-u") == uid]
    if check(users, f"Containerfile: no useradd --uid {uid} for USER {user}"):
        group = flag_value(users[0], "--gid", "-g")
        check(groups.get(group, group) == gid,
              f"Containerfile: USER {user}, but useradd gives user {uid} the group "
              f"{group or 'that --user-group makes (a system GID)'}: make the group with "
              f"groupadd --gid {gid} and give useradd --gid {gid}")
    return uid, gid


def check_pod(where, pod, image_user, images):
    """The pod runs as the image's user, names the image so that a local copy is used, and has a
    writable /tmp under a read-only root file system."""
    security = pod.get("securityContext", {})
    check(security.get("runAsNonRoot") is True, f"{where}: securityContext.runAsNonRoot: true")
    if image_user:
        uid, gid = image_user
        check(str(security.get("runAsUser")) == uid,
              f"{where}: runAsUser {security.get('runAsUser')} is not the image's USER {uid}")
        for key in ("runAsGroup", "fsGroup"):
            check(key not in security or str(security[key]) == gid,
                  f"{where}: {key} {security.get(key)} is not the image's group {gid}")
    container = pod["containers"][0]
    image = container.get("image", "")
    images.add(image)
    tag = image.rsplit("/", 1)[-1].partition(":")[2] if "@" not in image else "digest"
    check(tag not in ("", "latest") or
          container.get("imagePullPolicy") in ("IfNotPresent", "Never"),
          f"{where}: image {image} without imagePullPolicy IfNotPresent makes the kubelet pull "
          "it always, from Docker Hub for a short name: a locally loaded image is never used")
    if container.get("securityContext", {}).get("readOnlyRootFilesystem"):
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        check(any(m["mountPath"].rstrip("/") == "/tmp" and not m.get("readOnly") and
                  "emptyDir" in volumes.get(m["name"], {})
                  for m in container.get("volumeMounts", [])),
              f"{where}: a read-only root file system needs an emptyDir at /tmp (narrate batch "
              "writes its log there)")


# --- the Kubernetes manifests ---

def cpu_cores(quantity):
    text = str(quantity)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def seconds(text):
    match = re.fullmatch(r"(\d+)s?", text or "")
    return int(match.group(1)) if match else None


def check_deployment(narrate, deployment, secret, image_cmd, image_user, images):
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    check_pod("Deployment", pod, image_user, images)
    check(spec.get("replicas") == 2, "Deployment: replicas must be 2")
    container = pod["containers"][0]
    args = container.get("args") or []
    check_invocation(narrate, "Deployment", args)
    check(args[:1] == ["serve"], "Deployment: the container must run narrate serve")
    check(option_value(args, "--tokens") == option_value(image_cmd, "--tokens"),
          "Deployment and Containerfile disagree on --tokens")
    ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
    listen = option_value(args, "--listen") or ""
    check(str(listen.rsplit(":", 1)[-1]) in {str(p) for p in ports.values()},
          f"Deployment: --listen {listen} is not a containerPort {ports}")
    for kind, path in SERVER_PATHS.items():
        probe = container.get(f"{kind}Probe", {}).get("httpGet", {})
        check(probe.get("path") == path, f"Deployment: the {kind} probe must GET {path}")
        port = probe.get("port")
        check(port in ports or port in ports.values(),
              f"Deployment: the {kind} probe's port {port} is not the container's")
    resources = container.get("resources", {})
    for level in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            check(resource in resources.get(level, {}),
                  f"Deployment: no {resource} in the container's resource {level}")
    jobs = option_value(args, "-j")
    cpu_limit = resources.get("limits", {}).get("cpu")
    if jobs is not None and cpu_limit is not None:
        check(int(jobs) == max(1, round(cpu_cores(cpu_limit))),
              f"Deployment: -j {jobs} does not match the CPU limit {cpu_limit}")
    grace = seconds(option_value(args, "--grace"))
    period = pod.get("terminationGracePeriodSeconds")
    if check(grace is not None and period is not None,
             "Deployment: --grace and terminationGracePeriodSeconds must both be set"):
        check(grace < period <= grace + 30,
              f"Deployment: terminationGracePeriodSeconds {period} must outlast --grace {grace} "
              "by a little (at most 30 s)")
    tokens = option_value(args, "--tokens") or ""
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    mounted = False
    for mount in container.get("volumeMounts", []):
        volume = volumes.get(mount["name"], {})
        check(volume, f"Deployment: volumeMount {mount['name']} has no volume")
        secret_source = volume.get("secret")
        if not secret_source:
            continue
        check(secret_source.get("secretName") == secret["metadata"]["name"],
              "Deployment: the mounted Secret is not the example's "
              f"({secret_source.get('secretName')})")
        for item in secret_source.get("items", []):
            if f"{mount['mountPath'].rstrip('/')}/{item['path']}" == tokens:
                mounted = item["key"] in secret.get("stringData", {})
    check(mounted, f"Deployment: the tokens Secret is not mounted at --tokens {tokens}")
    labels = spec["template"]["metadata"]["labels"]
    check(all(labels.get(k) == v for k, v in spec["selector"]["matchLabels"].items()),
          "Deployment: the selector does not match the pod's labels")
    return ports, labels


def check_job(narrate, job, image_user, images):
    spec = job["spec"]
    pod = spec["template"]["spec"]
    check_pod("Job", pod, image_user, images)
    check(spec.get("completionMode") == "Indexed", "Job: completionMode must be Indexed")
    container = pod["containers"][0]
    args = container.get("args") or []
    check_invocation(narrate, "Job", args)
    check(args[:1] == ["batch"], "Job: the container must run narrate batch")
    shard = option_value(args, "--shard") or ""
    match = re.fullmatch(r"auto/(\d+)", shard)
    if check(match, f"Job: --shard must be auto/N (K from JOB_COMPLETION_INDEX), not '{shard}'"):
        check(spec.get("completions") == int(match.group(1)),
              f"Job: completions {spec.get('completions')} must equal the N of --shard {shard}")
    check(0 < spec.get("parallelism", 0) <= spec.get("completions", 0),
          "Job: parallelism must be from 1 to completions")
    check(pod.get("restartPolicy") in ("Never", "OnFailure"), "Job: restartPolicy")
    volumes = {v["name"] for v in pod.get("volumes", [])}
    mounts = [m["mountPath"].rstrip("/") for m in container.get("volumeMounts", [])]
    for mount in container.get("volumeMounts", []):
        check(mount["name"] in volumes, f"Job: volumeMount {mount['name']} has no volume")
    paths = [a for i, a in enumerate(args[1:], 1)
             if not a.startswith("-") and not args[i - 1].startswith("-")]
    paths.append(option_value(args, "--out-dir") or "")
    for path in paths:
        check(any(path == m or path.startswith(m + "/") for m in mounts),
              f"Job: {path} is on none of the container's volumes {mounts}")


def check_manifests(source, narrate, image_cmd, image_user):
    folder = os.path.join(source, "deploy", "k8s")
    documents = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".yaml", ".yml")):
            continue
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as file:
                documents[name] = [d for d in yaml.safe_load_all(file) if d is not None]
        except yaml.YAMLError as error:
            failures.append(f"deploy/k8s/{name}: not valid YAML: {error}")
    kustomization = documents.pop("kustomization.yaml", [{}])[0]
    resources = kustomization.get("resources", [])
    listed = set(documents) - {"secret-example.yaml"}
    check(set(resources) == listed,
          f"kustomization.yaml must list {sorted(listed)}, not {resources}")
    by_kind = {}
    for name, docs in documents.items():
        for doc in docs:
            if check(isinstance(doc, dict) and doc.get("apiVersion") and doc.get("kind") and
                     doc.get("metadata", {}).get("name"),
                     f"deploy/k8s/{name}: a document without apiVersion, kind or name"):
                by_kind.setdefault(doc["kind"], []).append(doc)
    kinds = ("Deployment", "Service", "HorizontalPodAutoscaler", "Job", "Secret")
    if not all([check(len(by_kind.get(kind, [])) == 1, f"deploy/k8s: want one {kind}")
                for kind in kinds]):
        return
    secret = by_kind["Secret"][0]
    check(all("REPLACE" in v for v in secret.get("stringData", {}).values()),
          "secret-example.yaml must hold a placeholder (REPLACE-...), never a token")
    for value in secret.get("stringData", {}).values():
        for line in value.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                check(len(line.split("\t")) == 2,
                      f"secret-example.yaml: {line!r} is not NAME<TAB>TOKEN, the --tokens format")
    deployment = by_kind["Deployment"][0]
    images = set()
    ports, labels = check_deployment(narrate, deployment, secret, image_cmd, image_user, images)
    service = by_kind["Service"][0]["spec"]
    check(service.get("selector") and
          all(labels.get(k) == v for k, v in service["selector"].items()),
          "Service: its selector does not select the Deployment's pods")
    for port in service.get("ports", []):
        check(port.get("targetPort") in ports or port.get("targetPort") in ports.values(),
              f"Service: targetPort {port.get('targetPort')} is not the container's port")
    hpa = by_kind["HorizontalPodAutoscaler"][0]
    check(hpa["apiVersion"] == "autoscaling/v2", "HorizontalPodAutoscaler: use autoscaling/v2")
    target = hpa["spec"]["scaleTargetRef"]
    check(target.get("kind") == "Deployment" and
          target.get("name") == deployment["metadata"]["name"],
          "HorizontalPodAutoscaler: scaleTargetRef is not the Deployment")
    check(any(m.get("resource", {}).get("name") == "cpu" and
              m["resource"].get("target", {}).get("type") == "Utilization"
              for m in hpa["spec"].get("metrics", [])),
          "HorizontalPodAutoscaler: no CPU utilization metric")
    check(1 <= hpa["spec"].get("minReplicas", 1) <= hpa["spec"]["maxReplicas"],
          "HorizontalPodAutoscaler: minReplicas and maxReplicas")
    check_job(narrate, by_kind["Job"][0], image_user, images)
    check(len(images) == 1, f"the Deployment and the Job must run the same image, not {images}")


def main():
    source, narrate = sys.argv[1], sys.argv[2]
    setup_arrays = bash_arrays(open(os.path.join(source, "setup.sh"), encoding="utf-8").read())
    check("python3-yaml" in setup_arrays.get("test_packages", []),
          "setup.sh's test packages must hold python3-yaml (this test's PyYAML)")
    image_cmd, image_user = check_containerfile(source, narrate, setup_arrays)
    check_manifests(source, narrate, image_cmd, image_user)
    for note in notes:
        print(f"note: {note}")
    for failure in failures:
        print(f"FAIL: {failure}")
    if failures:
        sys.exit(1)
    print(f"deploy/: every check passed ({len(help_cache)} narrate commands asked)")


if __name__ == "__main__":
    main()
