// Progressive enhancement only: every page works without this file (plain links and forms).
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var button = event.submitter;
    // A close is hard to undo for the channel's members: ask once.
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.dataset.sent) {
      // A second click while an approval waits for speech synthesis would only be refused.
      event.preventDefault();
      return;
    }
    form.dataset.sent = '1';
    if (button) {
      // The clicked button's name/value must still travel once it is disabled.
      if (button.name) {
        var carry = document.createElement('input');
        carry.type = 'hidden';
        carry.name = button.name;
        carry.value = button.value;
        form.appendChild(carry);
      }
      button.setAttribute('aria-busy', 'true');
      Array.prototype.forEach.call(form.querySelectorAll('button'), function (b) {
        b.disabled = true;
      });
    }
  });
  // After an error the alert is announced and focused, so keyboard users land on it.
  var alert = document.querySelector('[role="alert"]');
  if (alert) {
    alert.setAttribute('tabindex', '-1');
    alert.focus();
  }
})();
