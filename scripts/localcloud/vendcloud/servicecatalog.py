def reset(): pass
def handler_for(op): return None
