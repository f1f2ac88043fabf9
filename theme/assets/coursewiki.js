// Clicking a talk timestamp (a link to talk.<ext>#t=SECONDS) seeks the player on the page
// instead of leaving it. Without a player the link still opens the video at that second.
(function () {
  function seek(event) {
    var link = event.target.closest && event.target.closest("a[href*='#t=']");
    if (!link) return;
    var match = /talk\.[a-z0-9]+#t=(\d+(?:\.\d+)?)/.exec(link.getAttribute("href") || "");
    var player = document.querySelector("video.coursewiki-player");
    if (!match || !player) return;
    event.preventDefault();
    var box = player.closest("details");  // the report keeps its player in a collapsed box
    if (box) box.open = true;
    player.currentTime = parseFloat(match[1]);
    player.scrollIntoView({ behavior: "smooth", block: "center" });
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () {});
  }
  document.addEventListener("click", seek);
})();
